package io.aiaas.platform.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body the gateway forwards is the array it received, not a copy of it. */
class ForwardedBodyTest {

    @Test
    void wrapsTheReceivedArrayWithoutCopying() {
        byte[] received = "{\"inputs\": []}".getBytes(StandardCharsets.UTF_8);
        ForwardedBody body = ForwardedBody.of(received, "application/json", null);
        assertSame(received, body.bytes().getByteBuf().array());
        assertEquals(received.length, body.length());
        received[0] = '[';
        assertEquals('[', body.bytes().getByte(0), "a copy would not see the change");
    }
}
