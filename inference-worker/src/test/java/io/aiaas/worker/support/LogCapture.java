package io.aiaas.worker.support;

import org.jboss.logmanager.ExtLogRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the log records written while it is open, each with a copy of the MDC of the thread that wrote it (the
 * JSON console log prints that copy). Open it around the call a test watches; {@code debug} lowers the level of
 * those categories while it is open.
 */
public final class LogCapture implements AutoCloseable {

    private final Handler handler;
    private final List<ExtLogRecord> records = new ArrayList<>();
    private final Map<Logger, Level> levels = new java.util.HashMap<>();

    private LogCapture(List<String> debug) {
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = ExtLogRecord.wrap(record);
                ext.copyAll(); // the MDC and message of the writing thread, as an async handler would keep them
                synchronized (records) {
                    records.add(ext);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        for (String category : debug) {
            Logger logger = Logger.getLogger(category);
            levels.put(logger, logger.getLevel());
            logger.setLevel(org.jboss.logmanager.Level.DEBUG);
        }
        Logger.getLogger("").addHandler(handler);
    }

    public static LogCapture open(String... debugCategories) {
        return new LogCapture(List.of(debugCategories));
    }

    /** The records so far whose logger name starts with {@code prefix}. */
    public List<ExtLogRecord> from(String prefix) {
        return matching(r -> r.getLoggerName() != null && r.getLoggerName().startsWith(prefix));
    }

    public List<ExtLogRecord> matching(Predicate<ExtLogRecord> filter) {
        synchronized (records) {
            return records.stream().filter(filter).toList();
        }
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
        levels.forEach(Logger::setLevel);
    }
}
