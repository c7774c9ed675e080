package io.aiaas.platform.common.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for persistence code: recognising constraint violations and building audit details. */
public final class Constraints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505";

    private Constraints() {
    }

    /** True when the exception (or a cause) is PostgreSQL's unique_violation. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A JSON object of the details as they are, null values included (a field cleared); null when empty. */
    public static String json(Map<String, ?> details) {
        try {
            return details.isEmpty() ? null : JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON object from alternating keys and values, skipping null values; null when nothing is left. */
    public static String json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
            }
        }
        if (map.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
