package io.github.camelrtsp.message;

import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the WARN (and more severe) messages one logger writes while it is open. Test helper. */
final class CapturedLog implements AutoCloseable {

    private final LoggerContext context;
    private final LoggerConfig config;
    private final AbstractAppender appender;

    private CapturedLog(LoggerContext context, LoggerConfig config, AbstractAppender appender) {
        this.context = context;
        this.config = config;
        this.appender = appender;
    }

    static CapturedLog capture(Class<?> loggerClass, List<String> sink) {
        String name = loggerClass.getName();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig config = context.getConfiguration().getLoggerConfig(name);
        AbstractAppender appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (name.equals(event.getLoggerName()) && event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    sink.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        config.addAppender(appender, null, null);
        context.updateLoggers();
        return new CapturedLog(context, config, appender);
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        appender.stop();
        context.updateLoggers();
    }
}
