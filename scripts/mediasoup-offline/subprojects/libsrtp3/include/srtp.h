// The libsrtp 3 API that mediasoup's worker calls, on top of Debian's libsrtp 2.
// libsrtp 3 protects from an input buffer into a separate output buffer with size_t lengths;
// libsrtp 2 works in place with an int length, so the packet is copied into the output first.
#ifndef HOLDSPACE_LIBSRTP3_ON_LIBSRTP2_H
#define HOLDSPACE_LIBSRTP3_ON_LIBSRTP2_H

#include <srtp2/srtp.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Error codes that libsrtp 3 added after srtp_err_status_pkt_idx_adv (27).
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace holdspace_srtp3
{
	using InPlaceCall = srtp_err_status_t (*)(srtp_t, void*, int*);
	using TrailerLengthCall = srtp_err_status_t (*)(srtp_t, uint32_t, uint32_t, uint32_t*);

	inline srtp_err_status_t Transform(
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen,
	  size_t growth,
	  InPlaceCall call)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - growth || inLen + growth > *outLen)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = call(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}

	// What protecting really appends (tag, plus the SRTCP index for RTCP), so that a full
	// output buffer is not refused for room it will never need.
	inline size_t TrailerLength(srtp_t ctx, TrailerLengthCall call, size_t fallback)
	{
		uint32_t length = 0;

		return call(ctx, 0, 0, &length) == srtp_err_status_ok ? length : fallback;
	}
} // namespace holdspace_srtp3

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
{
	const size_t trailer = holdspace_srtp3::TrailerLength(
	  ctx, srtp_get_protect_trailer_length, SRTP_MAX_TRAILER_LEN);

	return holdspace_srtp3::Transform(ctx, rtp, rtpLen, srtp, srtpLen, trailer, srtp_protect);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return holdspace_srtp3::Transform(ctx, srtp, srtpLen, rtp, rtpLen, 0, srtp_unprotect);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
{
	const size_t trailer = holdspace_srtp3::TrailerLength(
	  ctx, srtp_get_protect_rtcp_trailer_length, SRTP_MAX_TRAILER_LEN + 4);

	return holdspace_srtp3::Transform(ctx, rtcp, rtcpLen, srtcp, srtcpLen, trailer, srtp_protect_rtcp);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return holdspace_srtp3::Transform(ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0, srtp_unprotect_rtcp);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#endif
