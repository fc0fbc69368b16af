package io.github.camelrtsp;

import java.util.Optional;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;

/**
 * Stands in for camel-health's registry (not a dependency of this module): enabled, with an empty "consumers"
 * repository, which is all a consumer looks for before it exposes its health check.
 */
final class StubHealthCheckRegistry implements HealthCheckRegistry {

    private final HealthCheckRepository consumers = new HealthCheckRepository() {
        @Override
        public boolean isEnabled() {
            return true;
        }

        @Override
        public void setEnabled(boolean enabled) {
        }

        @Override
        public String getId() {
            return "consumers";
        }

        @Override
        public Stream<HealthCheck> stream() {
            return Stream.empty();
        }
    };
    private CamelContext camelContext;
    private String id = "stub";

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void setEnabled(boolean enabled) {
    }

    @Override
    public Object resolveById(String id) {
        return null;
    }

    @Override
    public boolean register(Object obj) {
        return false;
    }

    @Override
    public boolean unregister(Object obj) {
        return false;
    }

    @Override
    public Optional<HealthCheckRepository> getRepository(String id) {
        return "consumers".equals(id) ? Optional.of(consumers) : Optional.empty();
    }

    @Override
    public Stream<HealthCheck> stream() {
        return Stream.empty();
    }

    @Override
    public void loadHealthChecks() {
    }

    @Override
    public String getExcludePattern() {
        return null;
    }

    @Override
    public void setExcludePattern(String excludePattern) {
    }

    @Override
    public boolean isExcluded(HealthCheck healthCheck) {
        return false;
    }

    @Override
    public void setExposureLevel(String exposureLevel) {
    }

    @Override
    public String getExposureLevel() {
        return "default";
    }

    @Override
    public void setInitialState(HealthCheck.State initialState) {
    }

    @Override
    public HealthCheck.State getInitialState() {
        return HealthCheck.State.DOWN;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void setId(String id) {
        this.id = id;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
