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
        assertNull(envVar(api, "AIAAS_HTTP_TRUSTED_PROXIES"), "no proxy trusted by default");
        JsonObject operators = api(Renderings.OPERATORS);
        assertEquals("10.0.0.0/8", env(operators, "AIAAS_HTTP_TRUSTED_PROXIES"));
        // not Quarkus' own forwarded handling: it takes the left-most entry, which the client writes (ClientAddresses)
        assertNull(envVar(operators, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"));
    }
}
