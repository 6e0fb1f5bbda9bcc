package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consecutive files of one series (e.g. the daily kline dumps of one symbol) read one after another,
 * with only the current file open. The order and gap checks carry over file boundaries, so a day that is
 * missing or overlaps the previous one is reported like any gap or duplicate inside a file.
 */
public final class ChainedEventReader implements MarketEventReader {
    private final List<DataFile> files;
    private final ReadOptions options;
    private final List<ReadReport> reports = new CopyOnWriteArrayList<>(); // read by the consumer while a pool thread reads ahead
    private int nextFile;
    private MarketEventReader current;
    private CsvSeriesReader lastSeries;
    private boolean closed;

    /** @param files in time order */
    public ChainedEventReader(List<DataFile> files, ReadOptions options) {
        this.files = List.copyOf(files);
        this.options = options;
    }

    @Override
    public MarketEvent next() {
        while (!closed) {
            if (current == null) {
                if (nextFile == files.size()) {
                    closed = true;
                    return null;
                }
                current = MarketData.open(files.get(nextFile++), options);
                reports.addAll(current.reports());
                if (lastSeries != null && current instanceof CsvSeriesReader csv) {
                    csv.continueFrom(lastSeries);
                }
            }
            MarketEvent e = current.next();
            if (e != null) {
                return e;
            }
            current.close();
            lastSeries = current instanceof CsvSeriesReader csv ? csv : null;
            current = null;
        }
        return null;
    }

    @Override
    public List<ReadReport> reports() {
        return Collections.unmodifiableList(reports);
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
