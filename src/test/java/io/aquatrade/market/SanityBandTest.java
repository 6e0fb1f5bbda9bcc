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
}
