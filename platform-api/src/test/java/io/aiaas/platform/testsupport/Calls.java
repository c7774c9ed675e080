package io.aiaas.platform.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** An inference call as a client makes it, with a body that the {@link Fixtures#LINEAR} model takes. */
public final class Calls {

    /** One FP32 input {@code x} of shape [2, 3]: what {@link Fixtures#LINEAR} takes. */
    public static final String LINEAR_BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";

    private Calls() {
    }

    /** {@code POST /v2/models/{model}/infer} with {@link #LINEAR_BODY}, the key as bearer. */
    public static Response infer(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(LINEAR_BODY)
                .post("/v2/models/" + model + "/infer");
    }

    /**
     * Makes {@code calls} calls ({@code call} given each one's index) from {@code threads} threads at once; answers how
     * many got each status code.
     */
    public static Map<Integer, Integer> statuses(int calls, int threads, IntFunction<Response> call) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Response>> running = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int index = i;
                running.add(pool.submit(() -> call.apply(index)));
            }
            for (Future<Response> answer : running) {
                statuses.merge(answer.get().statusCode(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }
}
