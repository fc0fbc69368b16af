package io.github.camelrtsp.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects what one logger writes at INFO or above while open, as {@code "LEVEL message"} lines. The single log
 * capture of the tests: {@link #warnings()} gives the WARN and ERROR messages without the level.
 */
public final class CapturedLog implements AutoCloseable {

    private final LoggerContext context;
    private final LoggerConfig config;
    private final AbstractAppender appender;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private CapturedLog(Class<?> loggerClass) {
        String name = loggerClass.getName();
        context = (LoggerContext) LogManager.getContext(false);
        config = context.getConfiguration().getLoggerConfig(name);
        appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (!name.equals(event.getLoggerName()) || !event.getLevel().isMoreSpecificThan(Level.INFO)) {
                    return;
                }
                String message = event.getMessage().getFormattedMessage();
                lines.add(event.getLevel() + " " + message);
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    warnings.add(message);
                }
            }
        };
        appender.start();
        config.addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Starts capturing what the logger named after {@code loggerClass} writes. */
    public static CapturedLog capture(Class<?> loggerClass) {
        return new CapturedLog(loggerClass);
    }

    /** Lines captured so far, each {@code "LEVEL message"}. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines captured so far that start with {@code level} (e.g. WARN). */
    public List<String> lines(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
    }

    /** The WARN and ERROR messages captured so far, formatted, without the level. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        appender.stop();
        context.updateLoggers();
    }
}
