import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCaFile, imageLayout } from '../../../ingest/src/image/image-build';
import { CONTAINERS_CONF } from '../../../ingest/src/image/podman';

describe('imageLayout', () => {
  it('takes the flag, then IMAGE_CACHE_DIR, and writes containers.conf there', async () => {
    const flag = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-image-'));
    const env = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-image-'));
    await expect(imageLayout(flag, undefined, { IMAGE_CACHE_DIR: env }).cacheDir).toBe(flag);
    const layout = imageLayout(undefined, undefined, { IMAGE_CACHE_DIR: env });
    await expect(layout.containersConf).toBe(path.join(env, 'containers.conf'));
    await expect(fs.readFileSync(layout.containersConf, 'utf8')).toBe(CONTAINERS_CONF);
  });
});

describe('hostCaFile', () => {
  it("takes NODE_EXTRA_CA_CERTS before npm's cafile", async () => {
    await expect(hostCaFile({ NODE_EXTRA_CA_CERTS: '/etc/extra.pem' })).toBe('/etc/extra.pem');
  });
});
