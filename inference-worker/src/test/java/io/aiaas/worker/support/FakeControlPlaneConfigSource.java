package io.aiaas.worker.support;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Gives the test profile the port of {@link FakeControlPlane#shared()} before the worker starts, so that the worker's
 * {@code aiaas.worker.control-plane.url} (built from it in application.properties) is where the tests publish
 * artifacts. Registered through META-INF/services in the test resources.
 */
public class FakeControlPlaneConfigSource implements ConfigSource {

    /** A random id per test JVM: the worker's identity directory lives under it, so each run enrols afresh. */
    static final String RUN_ID_PROPERTY = "aiaas.test.run-id";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(FakeControlPlane.SHARED_PORT_PROPERTY, RUN_ID_PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(FakeControlPlane.SHARED_PORT_PROPERTY, getValue(FakeControlPlane.SHARED_PORT_PROPERTY),
                RUN_ID_PROPERTY, getValue(RUN_ID_PROPERTY));
    }

    @Override
    public String getValue(String propertyName) {
        if (RUN_ID_PROPERTY.equals(propertyName)) {
            return runId();
        }
        return FakeControlPlane.SHARED_PORT_PROPERTY.equals(propertyName)
                ? Integer.toString(FakeControlPlane.port(FakeControlPlane.SHARED_PORT_PROPERTY)) : null;
    }

    /** Kept in a system property so that every class loader of the JVM agrees on it. */
    static synchronized String runId() {
        String id = System.getProperty(RUN_ID_PROPERTY);
        if (id == null) {
            id = java.util.UUID.randomUUID().toString();
            System.setProperty(RUN_ID_PROPERTY, id);
        }
        return id;
    }

    @Override
    public String getName() {
        return "fake-control-plane-port";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
