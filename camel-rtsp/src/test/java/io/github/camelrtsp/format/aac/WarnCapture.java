package io.github.camelrtsp.format.aac;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the WARN (and more severe) messages of one logger while open. */
final class WarnCapture extends AbstractAppender implements AutoCloseable {

    private final String loggerName;
    private final LoggerConfig config;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private WarnCapture(Class<?> logger) {
        super("aac-warn-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = logger.getName();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        this.config = context.getConfiguration().getLoggerConfig(loggerName);
    }

    static WarnCapture of(Class<?> logger) {
        WarnCapture capture = new WarnCapture(logger);
        capture.start();
        capture.config.addAppender(capture, Level.ALL, null);
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        if (loggerName.equals(event.getLoggerName()) && event.getLevel().isMoreSpecificThan(Level.WARN)) {
            messages.add(event.getMessage().getFormattedMessage());
        }
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        config.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
