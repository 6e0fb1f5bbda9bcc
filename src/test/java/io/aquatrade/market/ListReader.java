package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.util.List;

/** An in-memory source for merge tests. */
final class ListReader implements MarketEventReader {
    private final List<? extends MarketEvent> events;
    private final ReadReport report;
    private int next;
    private boolean closed;

    ListReader(String name, List<? extends MarketEvent> events) {
        this.events = events;
        this.report = new ReadReport(name);
    }

    @Override
    public MarketEvent next() {
        if (closed || next == events.size()) {
            return null;
        }
        MarketEvent e = events.get(next++);
        report.event(e.timeMs());
        return e;
    }

    @Override
    public List<ReadReport> reports() {
        return List.of(report);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
