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

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(FakeControlPlane.SHARED_PORT_PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(FakeControlPlane.SHARED_PORT_PROPERTY, getValue(FakeControlPlane.SHARED_PORT_PROPERTY));
    }

    @Override
    public String getValue(String propertyName) {
        return FakeControlPlane.SHARED_PORT_PROPERTY.equals(propertyName)
                ? Integer.toString(FakeControlPlane.port(FakeControlPlane.SHARED_PORT_PROPERTY)) : null;
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
