package io.aiaas.platform.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Settings that make timing tests decisive, shared by those tests so the application restarts only once for them: an
 * API-key cache TTL (4 s) far above the 100 ms a revocation may take, so only a NOTIFY can explain a fast one; a body
 * stall timeout of 1 s, so a stalled client is cut off quickly; a small JSON body limit (64 KiB). Also the loopback
 * trusted as a reverse proxy (X-Forwarded-For believed from it, as docs/limits.md configures a deployment behind one),
 * so that a test can call as if from another network without a second restart; Quarkus' own forwarded-header handling
 * is switched on as well, to show that the platform does not take the left-most entry it would.
 */
public class TimingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "aiaas.api-keys.cache-ttl", "4s",
                "aiaas.http.body-stall-timeout", "1s",
                "aiaas.http.max-json-bytes", "64K",
                "aiaas.http.trusted-proxies", "127.0.0.1,::1",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1,[::1]");
    }
}
