package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real 2023 BTCUSDT minutes (headed-2023) with one candle at 1,000x, as the probe that made +2,984,990 USDT. */
class SanityBandTest {

    @Test
    void aWellFormedCandleAtAThousandTimesThePriceIsHeldOutAndAGenuineMoveIsFollowed() {
        List<MarketEvent> real = TestData.readAll(new HeadedKlineReader(TestData.path("headed-2023/BTCUSDT-1m.csv.gz"),
                "BTCUSDT", 60_000));
        SanityBand band = new SanityBand(50);
        for (MarketEvent e : real) {
            assertThat(band.accept(e)).as("real minute %s", e).isTrue();
        }
        Candle last = (Candle) real.get(real.size() - 1);
        long x = 1000;
        Candle outlier = Candle.closedMinute("BTCUSDT", last.openTimeMs() + 60_000, last.closeE8() * x, last.closeE8() * x,
                last.closeE8() * x, last.closeE8() * x, Decimals.ONE);
        assertThat(band.accept(outlier)).isFalse();
        // a candle whose close is normal but whose high is not is an outlier too
        Candle spike = Candle.closedMinute("BTCUSDT", last.openTimeMs() + 120_000, last.closeE8(), last.closeE8() * x,
                last.closeE8(), last.closeE8(), Decimals.ONE);
        assertThat(band.accept(spike)).isFalse();
        assertThat(band.accept(new TradeTick("BTCUSDT", last.timeMs() + 1, last.closeE8(), Decimals.ONE, false))).isTrue();
        assertThat(band.accept(new QuoteTick("BTCUSDT", last.timeMs() + 2, last.closeE8() / 10, Decimals.ONE,
                last.closeE8(), Decimals.ONE))).isFalse();
        assertThat(band.outliers()).isEqualTo(3);
        assertThat(band.outliersBySymbol()).containsEntry("BTCUSDT", 3L);
        assertThat(band.lastOutlier()).contains("BTCUSDT").contains("outside 50.0%");
        // the market really halves (a redenomination): after three agreeing events the band follows it
        long half = last.closeE8() / 3;
        int accepted = 0;
        for (int i = 0; i < 5; i++) {
            if (band.accept(new TradeTick("BTCUSDT", last.timeMs() + 10 + i, half, Decimals.ONE, false))) {
                accepted++;
            }
        }
        // the quote outlier just before lay near this level too, so it counts as the first of the three agreeing
        assertThat(accepted).isEqualTo(4);
        assertThat(new SanityBand(0).accept(outlier)).isTrue();
    }

    private static long p(String price) {
        return Decimals.parseE8(price);
    }

    private static TradeTick trade(long timeMs, String price) {
        return new TradeTick("BTCUSDT", timeMs, p(price), Decimals.ONE, false);
    }

    private static QuoteTick book(long timeMs, String bid, String ask) {
        return new QuoteTick("BTCUSDT", timeMs, p(bid), Decimals.ONE, p(ask), Decimals.ONE);
    }

    @Test
    void aTradeOrCandleOffALiveBookIsHeldOutEvenWhenItIsNearTheLastTrade() {
        SanityBand band = new SanityBand(5);
        long t = 1_700_000_000_000L;
        assertThat(band.accept(book(t, "100.00", "100.10"))).isTrue();
        assertThat(band.accept(trade(t + 1_000, "104.00"))).as("within 5% of the book's ask").isTrue();
        // 108 is within 5% of the last trade (104) but not of the book (ask 100.10 + 5% = 105.105)
        assertThat(band.accept(trade(t + 2_000, "108.00"))).isFalse();
        assertThat(band.lastOutlier()).contains("the book 100/100.1");
        // trades agreeing with each other do not re-anchor against a live book
        for (int i = 0; i < 5; i++) {
            assertThat(band.accept(trade(t + 3_000 + i, "108.00"))).isFalse();
        }
        Candle spike = Candle.closedMinute("BTCUSDT", t, p("100.00"), p("110.00"), p("99.00"), p("100.05"), Decimals.ONE);
        assertThat(band.accept(spike)).as("a candle's high off the book").isFalse();
        assertThat(band.offBook()).isEqualTo(7);
        // the book moves there: trades follow it
        assertThat(band.accept(book(t + 10_000, "107.90", "108.00"))).isTrue();
        assertThat(band.accept(trade(t + 10_001, "108.00"))).isTrue();
        // a book older than BOOK_FRESH_MS is no reference: the last accepted price alone decides
        assertThat(band.accept(trade(t + 10_001 + SanityBand.BOOK_FRESH_MS + 1, "112.00"))).isTrue();
        assertThat(band.offBook()).isEqualTo(7);
    }

    @Test
    void aFeedThatKeepsFailingTheBandIsPausedAndResumesAfterARunOfGoodEvents() {
        List<String> told = new java.util.ArrayList<>();
        SanityBand band = new SanityBand(50).pauseFeeds(3, 60_000, 4, new SanityBand.FeedListener() {
            @Override
            public void onFeedFailing(String symbol, int rejections, long windowMs, String lastOutlier) {
                told.add("pause " + symbol + " " + rejections + " " + lastOutlier);
            }

            @Override
            public void onFeedRecovered(String symbol, int goodEvents) {
                told.add("resume " + symbol + " " + goodEvents);
            }
        });
        long t = 1_700_000_000_000L;
        band.accept(trade(t, "100"));
        // three outliers, but spread over more than the window: no pause
        band.accept(trade(t + 1_000, "1000"));
        band.accept(trade(t + 40_000, "100"));
        band.accept(trade(t + 50_000, "1"));
        band.accept(trade(t + 70_000, "100"));
        band.accept(trade(t + 90_000, "1000"));
        assertThat(told).isEmpty();
        assertThat(band.pausedFeeds()).isEmpty();
        // the third within 60 s of the first of them: paused
        band.accept(trade(t + 100_000, "1"));
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).startsWith("pause BTCUSDT 3 TradeTick BTCUSDT");
        assertThat(band.pausedFeeds()).containsExactly("BTCUSDT");
        // good events, interrupted by one more outlier: the run starts again
        for (int i = 0; i < 3; i++) {
            assertThat(band.accept(trade(t + 110_000 + i, "100"))).isTrue();
        }
        assertThat(band.accept(trade(t + 120_000, "1000"))).isFalse();
        for (int i = 0; i < 3; i++) {
            band.accept(trade(t + 130_000 + i, "100"));
        }
        assertThat(band.pausedFeeds()).containsExactly("BTCUSDT");
        band.accept(trade(t + 140_000, "100"));
        assertThat(told).containsExactly(told.get(0), "resume BTCUSDT 4");
        assertThat(band.pausedFeeds()).isEmpty();
        // one outlier after the resume does not pause again: the count starts over
        band.accept(trade(t + 150_000, "1000"));
        assertThat(band.pausedFeeds()).isEmpty();
    }
}
