package io.aiaas.deploy.chart;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static io.aiaas.deploy.chart.Renderings.containers;
import static io.aiaas.deploy.chart.Renderings.env;
import static io.aiaas.deploy.chart.Renderings.envVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** platform-api's settings that the chart turns into environment variables, by default and as operators set them. */
class PlatformApiSettingsTest {

    private static final String PLATFORM_API = "prod-aiaas-platform-api";

    /** The platform-api container of a values set. */
    private static JsonObject api(String values) {
        return containers(Renderings.of(values).get("Deployment", PLATFORM_API)).get(0);
    }

    @Test
    void rawUsageRowsAreKeptForEverUnlessARetentionIsSet() {
        JsonObject api = api(Renderings.DEFAULT);
        assertEquals("0", env(api, "AIAAS_USAGE_RETENTION_MONTHS"));
        JsonObject operators = api(Renderings.OPERATORS);
        assertEquals("13", env(operators, "AIAAS_USAGE_RETENTION_MONTHS"));
    }

    @Test
    void forwardedAddressesAreBelievedOnlyFromTheTrustedProxiesGiven() {
        JsonObject api = api(Renderings.DEFAULT);
        assertNull(envVar(api, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"), "no proxy trusted by default");
        assertNull(envVar(api, "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"));
        JsonObject operators = api(Renderings.OPERATORS);
        assertEquals("true", env(operators, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"));
        assertEquals("true", env(operators, "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED"));
        assertEquals("10.0.0.0/8", env(operators, "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"));
    }
}
