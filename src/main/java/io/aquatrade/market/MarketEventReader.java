package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy, pull-based source of market events in non-decreasing {@link MarketEvent#timeMs()} order.
 * Files are read as the caller pulls, so arbitrarily large inputs stream in constant memory.
 *
 * <p>Bad lines never end the stream: they are counted in {@link #reports()} and skipped. An I/O failure
 * (missing file, truncated archive) ends that file's events and is recorded as its
 * {@link ReadReport#fileError()}; a merged stream goes on with its other sources. Callers that must
 * not run on partial data check {@link #summary()} after reading.
 *
 * <p>Single-threaded: one thread pulls and reads the reports.
 */
public interface MarketEventReader extends AutoCloseable {

    /** The next event, or null once the source is exhausted (then every later call returns null). */
    MarketEvent next();

    /** Reports of the files opened so far (a chain opens its files one after another), in opening order. */
    List<ReadReport> reports();

    /** Everything this reader found, summed over {@link #reports()}. */
    default ReadReport summary() {
        return ReadReport.total("total", reports());
    }

    /** Releases open files. Idempotent; {@link #next()} returns null afterwards. */
    @Override
    void close();

    /** Pushes every remaining event to {@code sink}; returns how many. */
    default long forEachRemaining(Consumer<? super MarketEvent> sink) {
        long n = 0;
        for (MarketEvent e = next(); e != null; e = next()) {
            sink.accept(e);
            n++;
        }
        return n;
    }

    /** An iterator over the remaining events (it does not close the reader). */
    default Iterator<MarketEvent> iterator() {
        return new Iterator<>() {
            private MarketEvent ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    ahead = MarketEventReader.this.next();
                }
                return ahead != null;
            }

            @Override
            public MarketEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                MarketEvent e = ahead;
                ahead = null;
                return e;
            }
        };
    }

    /** A sequential, ordered stream of the remaining events; closing the stream closes the reader. */
    default Stream<MarketEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }
}
