// What decides the offline-built worker binary. This file and subprojects/ are hashed into
// the cache key, so any change here builds a new worker.

// Debian bookworm libraries that replace the subprojects mediasoup would download.
export const DEBIAN_PACKAGES = [
  'build-essential',
  'pkg-config',
  'libssl-dev',
  'libuv1-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
  'libsrtp2-dev',
];

// bookworm's liburing 2.3 lacks io_uring_prep_sendto, and upstream dropped io_uring later anyway.
export const MESON_ARGS = '-Dms_disable_liburing=true';

// The local pip mirror has newer versions than the ones tasks.py pins (meson 1.5.0, ninja 1.10.2.4).
export const PIP_BUILD_TOOLS = ['meson>=1.1.0', 'ninja'];

// Shim subprojects, each placed in worker/subprojects/ under the directory its .wrap names.
export const SHIM_SUBPROJECTS = [
  'abseil-cpp',
  'catch2',
  'flatbuffers',
  'libsrtp3',
  'libuv',
  'openssl',
  'usrsctp',
];

export const SOURCE_FIXES = [
  {
    file: 'worker/src/RTC/DtlsTransport.cpp',
    // Debian's OpenSSL has kernel TLS: answering 1 to its BIO_CB_CTRL|BIO_CB_RETURN probe makes
    // libssl skip its write buffer and crash in SSL_read. OpenSSL documents returning ret here.
    from: '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
    to: '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
  },
];
