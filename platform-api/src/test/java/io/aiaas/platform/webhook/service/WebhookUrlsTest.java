package io.aiaas.platform.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookUrlsTest {

    /** Resolves a few made-up names without DNS, the way a hostile zone could. */
    static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "public.example" -> new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            case "rebinding.example" -> new InetAddress[] {InetAddress.getByName("93.184.215.14"),
                    InetAddress.getByName("10.1.2.3")};
            case "metadata.example" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            case "nowhere.example" -> throw new UnknownHostException(host);
            default -> InetAddress.getAllByName(host); // literal addresses and localhost: no DNS involved
        };
    }

    final WebhookUrls strict = new WebhookUrls(false, WebhookUrlsTest::resolve);

    @Test
    void publicHttpAndHttpsUrlsAreAccepted() throws Exception {
        assertEquals("https://public.example/hooks?x=1", strict.check("https://public.example/hooks?x=1").toString());
        assertEquals("http://public.example:8080/h", strict.check("HTTP://public.example:8080/h").toString());
        strict.check("http://8.8.8.8/hook");
        strict.check("http://[2606:4700:4700::1111]/hook");
    }

    @Test
    void internalAddressesAreRefused() {
        List<String> internal = List.of("http://127.0.0.1/", "http://127.1.2.3:8080/", "http://localhost/",
                "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/",
                "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
                "http://224.0.0.1/", "http://255.255.255.255/", "http://[::1]/", "http://[::]/", "http://[fe80::1]/",
                "http://[fd00::1]/", "http://[fc00::5]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/",
                "http://[2002:7f00:1::]/", "http://2130706433/", "http://metadata.example/",
                "http://rebinding.example/");
        for (String url : internal) {
            WebhookUrls.Refused refused = assertThrows(WebhookUrls.Refused.class, () -> strict.check(url), url);
            assertTrue(refused.getMessage().contains("non-public") || refused.getMessage().contains("resolved"),
                    url + ": " + refused.getMessage());
        }
    }

    @Test
    void theSameAddressesAreAcceptedWhenPrivateAddressesAreAllowed() throws Exception {
        WebhookUrls lenient = new WebhookUrls(true, host -> {
            throw new AssertionError("no lookup when private addresses are allowed");
        });
        lenient.check("http://127.0.0.1:9999/hook");
        lenient.check("http://10.0.0.1/");
    }

    @Test
    void unresolvableHostsAreRefused() {
        assertThrows(WebhookUrls.Refused.class, () -> strict.check("https://nowhere.example/"));
    }

    @Test
    void malformedOrForeignUrlsAreRefusedBeforeAnyLookup() {
        WebhookUrls noLookup = new WebhookUrls(false, host -> {
            throw new AssertionError("looked up " + host);
        });
        List<String> hostile = List.of("", " ", "ftp://public.example/", "file:///etc/passwd", "javascript:alert(1)",
                "data:text/plain,hi", "gopher://public.example/", "public.example/hook", "//public.example/hook",
                "http://", "http:///path", "http://user:pw@public.example/", "http://public.example@10.0.0.1/",
                "http://public.example/#fragment", "http://exa mple.com/", "http://[::1/", "http://a\u0000b/",
                "http://public.example/" + "a".repeat(WebhookUrls.MAX_LENGTH));
        for (String url : hostile) {
            assertThrows(WebhookUrls.Refused.class, () -> noLookup.check(url), url);
        }
        assertThrows(WebhookUrls.Refused.class, () -> noLookup.check(null));
        // a port no TCP connection can use is named as such, not left to the lookup
        for (String url : List.of("http://public.example:0/", "http://public.example:65536/",
                "http://public.example:99999999/")) {
            WebhookUrls.Refused refused = assertThrows(WebhookUrls.Refused.class, () -> noLookup.check(url), url);
            assertTrue(refused.getMessage().contains("is not a TCP port (1 to 65535)"), refused.getMessage());
        }
    }
}
