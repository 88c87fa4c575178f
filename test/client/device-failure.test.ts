import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../client/src/i18n/index.js';
import { deviceFailure } from '../../client/src/media/devices.js';
import { MediaRequestError, reasonOf } from '../../client/src/media/media-signalling.js';

describe('why a device or media failed, in the chosen language', () => {
  it('says a denied camera in English, then in German once German is chosen, from the same failure', () => {
    const denied = deviceFailure({ name: 'NotAllowedError' }, 'camera');
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect(denied.message).toMatch(/^The browser was not allowed to use your camera\./);
    setLanguage('de');
    try {
      expect(denied.message).toMatch(/^Der Browser durfte Ihre Kamera nicht verwenden\./);
      expect(deviceFailure({ name: 'NotReadableError' }, 'microphone').message).toMatch(/^Ihr Mikrofon wird von einer anderen Anwendung verwendet\./);
      expect(reasonOf(new MediaRequestError('TIMEOUT', 'the server did not answer in time'))).toBe('der Server hat nicht rechtzeitig geantwortet');
      expect(reasonOf(new MediaRequestError('FLOOR_NOT_ALLOWED', 'server words'))).toBe('Sie können gerade nicht gehört werden: Jemand anderes hat das Wort.');
    } finally {
      setLanguage('en');
    }
    expect(reasonOf(new MediaRequestError('TIMEOUT', 'x'))).toBe('the server did not answer in time');
  });
});
