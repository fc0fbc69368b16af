package io.github.camelrtsp.examples;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an example: camel-main with the example's properties file and routes, until Ctrl-C. */
public final class ExampleMain {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleMain.class);

    private ExampleMain() {
    }

    /**
     * Runs {@code routes} with {@code classpath:<properties>} as the property file (system properties override it).
     * If the application cannot start, logs why and ends the JVM with status 1, so that the servers an example
     * started (simulated camera, broker, S3Mock) do not keep it alive.
     */
    public static void run(String properties, RoutesBuilder routes, String[] args) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:" + properties);
        main.configure().addRoutesBuilder(routes);
        try {
            main.run(args);
        } catch (Exception e) {
            LOG.error("the example could not run: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
