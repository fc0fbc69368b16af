package io.github.camelrtsp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line (message and stack trace) while installed on the root logger. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts capturing. */
    static LogCapture install() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder sb = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter w = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(w));
            sb.append('\n').append(w);
        }
        lines.add(sb.toString());
    }

    /** Everything captured so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Everything captured so far as one text. */
    String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
