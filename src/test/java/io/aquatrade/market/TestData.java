package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of the real data slices under src/test/resources/market (see PROVENANCE.md there). */
final class TestData {
    private TestData() {
    }

    static Path path(String relative) {
        URL url = TestData.class.getResource("/market/" + relative);
        if (url == null) {
            throw new IllegalStateException("test resource missing: market/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<MarketEvent> readAll(MarketEventReader reader) {
        List<MarketEvent> out = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }
}
