/** ApiVersions (key 18): which API keys and versions the broker speaks. Flexible from v3. */
import { defineApi } from '../api.js';
import { field, struct, tagged } from '../schema.js';
import { array, int16, int32, int64, string } from '../wire-type.js';

const finalizedFeature = struct({
  name: field(string, '3+'),
  maxVersionLevel: field(int16, '3+'),
  minVersionLevel: field(int16, '3+'),
});

export const ApiVersions = defineApi({
  key: 18,
  name: 'ApiVersions',
  versions: '0-3',
  flexible: '3+',
  request: {
    clientSoftwareName: field(string, '3+'),
    clientSoftwareVersion: field(string, '3+'),
  },
  response: {
    errorCode: field(int16, '0+'),
    apiKeys: field(
      array(
        struct({
          apiKey: field(int16, '0+'),
          minVersion: field(int16, '0+'),
          maxVersion: field(int16, '0+'),
        }),
      ),
      '0+',
    ),
    throttleTimeMs: field(int32, '1+'),
    supportedFeatures: tagged(
      array(
        struct({
          name: field(string, '3+'),
          minVersion: field(int16, '3+'),
          maxVersion: field(int16, '3+'),
        }),
      ),
      '3+',
      0,
    ),
    finalizedFeaturesEpoch: tagged(int64, '3+', 1, { default: -1 }),
    finalizedFeatures: tagged(array(finalizedFeature), '3+', 2),
  },
});
