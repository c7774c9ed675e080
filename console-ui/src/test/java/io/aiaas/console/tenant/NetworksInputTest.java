package io.aiaas.console.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.web.FormError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The networks textarea read into the list sent, and platform-api's violations told back by line. */
class NetworksInputTest {

    @Test
    void linesAndCommasSeparateEntriesAndBlanksAreIgnored() {
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.1"),
                NetworksInput.of("\r\n 10.0.0.0/8 \r\n\r2001:db8::/32,, 192.0.2.1 ,\n").networks());
        assertNull(NetworksInput.of(null).networks());
        assertNull(NetworksInput.of("").networks());
        assertNull(NetworksInput.of(" ,\r\n\t, \n").networks());
        assertEquals(List.of("192.0.2.1", "192.0.2.1"), NetworksInput.of("192.0.2.1\n192.0.2.1").networks(),
                "sent as typed: platform-api decides about repeats");
    }

    @Test
    void eachRefusedEntryIsToldByTheLineItWasTypedOnAndOtherFieldsStay() {
        NetworksInput typed = NetworksInput.of("10.0.0.0/8\n\n192.0.2.1, 10.1.2.3/8\nnope");
        Map<String, String> violations = new LinkedHashMap<>();
        violations.put("name", "must not be blank");
        violations.put("allowed_networks[2]", "10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8");
        violations.put("create.body.allowed_networks[3]", "nope is not an IP address or CIDR network");
        violations.put("allowed_networks[9]", "out of the list");
        FormError error = typed.refused("create-key", new ApiProblem(400, "validation_failed", "Bad Request",
                "The request is not valid.", violations));
        assertEquals("create-key", error.form());
        assertEquals(400, error.status());
        assertEquals("must not be blank", error.field("name"));
        assertEquals("line 3, 10.1.2.3/8: 10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8; "
                + "line 4, nope: nope is not an IP address or CIDR network; entry 9: out of the list",
                error.field(NetworksInput.FIELD));
        assertNull(error.field("allowed_networks[2]"), "gathered under the textarea's field");
    }

    @Test
    void aRefusalOfTheWholeListOrWithoutFieldsIsKeptAsIs() {
        FormError whole = NetworksInput.of("10.0.0.1").refused("networks-form-x", new ApiProblem(400,
                "validation_failed", null, "The request is not valid.",
                Map.of("put.body.allowed_networks", "at most 50 networks")));
        assertEquals("at most 50 networks", whole.field(NetworksInput.FIELD));
        FormError conflict = NetworksInput.of("10.0.0.1").refused("networks-form-x", new ApiProblem(409,
                "key_not_active", null, "API key is revoked", null));
        assertEquals(Map.of(), conflict.fields());
        assertEquals(409, conflict.status());
        assertEquals("API key is revoked", conflict.message());
        assertEquals(502, NetworksInput.of("").refused("f", new ApiProblem(503, null, null, null, null)).status());
    }
}
