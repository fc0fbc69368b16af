package io.github.camelrtsp.format.annexb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the WARN (and more severe) messages of one logger while open. Test helper. */
public final class CapturedWarnings implements AutoCloseable {

    /** The messages, formatted. */
    public final List<String> messages = new CopyOnWriteArrayList<>();

    private final LoggerContext context;
    private final LoggerConfig config;
    private final AbstractAppender appender;

    /** Starts collecting what the logger named after {@code loggerClass} writes at WARN or above. */
    public CapturedWarnings(Class<?> loggerClass) {
        String name = loggerClass.getName();
        context = (LoggerContext) LogManager.getContext(false);
        config = context.getConfiguration().getLoggerConfig(name);
        appender = new AbstractAppender("warnings-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (name.equals(event.getLoggerName()) && event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    messages.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        config.addAppender(appender, null, null);
        context.updateLoggers();
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        appender.stop();
        context.updateLoggers();
    }
}
