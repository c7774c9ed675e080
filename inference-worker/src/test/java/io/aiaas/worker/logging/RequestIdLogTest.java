package io.aiaas.worker.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.worker.support.BatchModels;
import io.aiaas.worker.support.LogCapture;
import io.aiaas.worker.support.Worker;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every log line of a call carries the request id the control plane forwarded, on the request's thread and on the
 * batcher thread that ran it, and the JSON console format prints it.
 */
@QuarkusTest
class RequestIdLogTest {

    private static final String GATHER = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,4],"
            + "\"data\":[1,2,3,4]},{\"name\":\"idx\",\"datatype\":\"INT64\",\"shape\":[1,1],\"data\":[%d]}]}";

    private static Response call(String requestId, int index) {
        var request = Worker.authorized().contentType(ContentType.JSON).body(GATHER.formatted(index));
        if (requestId != null) {
            request.header("x-request-id", requestId);
        }
        return request.post("/v2/models/batch_gather/versions/1/infer");
    }

    @Test
    void everyLineOfACallCarriesItsRequestIdOnEveryThread() throws Exception {
        Worker.load("batch_gather", 1, BatchModels.gather());
        String id = UUID.randomUUID().toString();
        List<ExtLogRecord> lines;
        try (LogCapture logs = LogCapture.open("io.aiaas.worker.inference")) {
            call(id, 2).then().statusCode(200).header("x-request-id", id);
            // the batcher may log its line just after it completed the call's answer: give it a moment
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> logs.from("io.aiaas")
                    .stream().anyMatch(l -> l.getThreadName().startsWith("batcher-batch_gather")));
            lines = logs.from("io.aiaas");
        }
        assertFalse(lines.isEmpty(), "the call logged nothing at DEBUG");
        for (ExtLogRecord line : lines) {
            assertEquals(id, line.getMdc("request_id"), () -> "[" + line.getThreadName() + "] "
                    + line.getFormattedMessage());
        }
        assertTrue(lines.stream().anyMatch(l -> l.getThreadName().startsWith("batcher-batch_gather")),
                "a line from the batcher thread that ran the call");
        assertTrue(lines.stream().anyMatch(l -> !l.getThreadName().startsWith("batcher-")),
                "a line from the thread that answered the call");

        // the JSON console format (on in packaged apps) prints it in the mdc object
        ExtLogRecord fromBatcher = lines.stream().filter(l -> l.getThreadName().startsWith("batcher-"))
                .findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(new JsonFormatter().format(fromBatcher));
        assertEquals(id, json.at("/mdc/request_id").asText(), json.toString());
        assertEquals("io.aiaas.worker.inference.ModelQueue", json.path("loggerName").asText(), json.toString());
    }

    @Test
    void aCallWithoutAUsableIdGetsAFreshOne() {
        Worker.load("batch_gather", 1, BatchModels.gather());
        String fresh = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        call(null, 1).then().statusCode(200).header("x-request-id", matchesPattern(fresh));
        // an id that could forge a log line in plain-text logs is replaced
        call("bad id\" forged=\"1", 1).then().statusCode(200).header("x-request-id", matchesPattern(fresh));
        call("a".repeat(65), 1).then().statusCode(200).header("x-request-id", matchesPattern(fresh));
    }
}
