package io.aquatrade.portfolio;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class PortfolioTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static Portfolio portfolio(String start) {
        // dust: under 0.0001 base units is unsellable in this test
        return new Portfolio("USDT", d(start), d("0.5"), d("1.0"), s -> s.replace("USDT", ""),
                (s, qty, price) -> qty.compareTo(d("0.0001")) < 0);
    }

    private static Fill buy(long t, String price, String qty) {
        BigDecimal q = d(qty);
        BigDecimal p = d(price);
        return new Fill(t, "BTCUSDT", Side.BUY, p, q, p.multiply(q), q.multiply(d("0.001")), "BTC", "id" + t, "entry", t);
    }

    private static Fill sell(long t, String price, String qty) {
        BigDecimal q = d(qty);
        BigDecimal p = d(price);
        BigDecimal quote = p.multiply(q);
        return new Fill(t, "BTCUSDT", Side.SELL, p, q, quote, quote.multiply(d("0.001")), "USDT", "id" + t, "exit", t);
    }

    @Test
    void capitalRuleIsHalfTheStartPlusAllRealisedProfit() {
        Portfolio p = portfolio("10000");
        assertThat(p.deployable()).isEqualByComparingTo("5000");
        p.apply(buy(1, "100", "10"));          // cost 1000, receive 9.99 BTC
        assertThat(p.cash()).isEqualByComparingTo("9000");
        RoundTrip rt = p.apply(sell(2, "110", "9.99")); // proceeds 1098.9 - 1.0989 fee
        assertThat(rt).isNotNull();
        BigDecimal expectedPnl = d("1098.9").subtract(d("1.0989")).subtract(d("1000"));
        assertThat(p.realizedPnl()).isEqualByComparingTo(expectedPnl);
        assertThat(p.deployable()).isEqualByComparingTo(d("5000").add(expectedPnl));
        assertThat(p.cash()).isEqualByComparingTo(d("9000").add(d("1098.9")).subtract(d("1.0989")));
        assertThat(p.openPositions()).isZero();
    }

    @Test
    void equityReadBetweenChangesFollowsEachOfThem() {
        Portfolio p = portfolio("10000");
        assertThat(p.equity()).isEqualByComparingTo("10000");
        p.apply(buy(1, "100", "10"));           // 9000 cash + 9.99 BTC at 100
        assertThat(p.equity()).isEqualByComparingTo("9999");
        p.mark("BTCUSDT", d("110"));
        assertThat(p.equity()).isEqualByComparingTo("10098.9");
        assertThat(p.todayPnl()).isEqualByComparingTo("98.9");
        p.absorbExternal("USDT", d("-500"), "withdrawal", 2);
        assertThat(p.equity()).isEqualByComparingTo("9598.9");
        p.absorbExternal("BTC", d("-0.99"), "sold by hand", 3);
        assertThat(p.equity()).isEqualByComparingTo("9490");
        p.reduceToExchangeQuantity("BTCUSDT", d("8"));
        assertThat(p.equity()).isEqualByComparingTo("9380");
        p.capCashToExchange(d("8000"));
        assertThat(p.equity()).isEqualByComparingTo("8880");
        p.apply(sell(4, "110", "8"));           // 880 proceeds less 0.88 fee
        assertThat(p.equity()).isEqualByComparingTo("8879.12");
    }

    @Test
    void lossesReduceDeployableCapital() {
        Portfolio p = portfolio("1000");
        p.apply(buy(1, "100", "1"));
        p.apply(sell(2, "90", "0.999"));
        // bought 1 BTC for 100, 0.001 BTC fee: 0.999 held; sold at 90: 89.91 - 0.08991 fee = 89.82009
        assertThat(p.realizedPnl()).isEqualByComparingTo("-10.17991");
        assertThat(p.deployable()).isEqualByComparingTo("489.82009");
    }

    @Test
    void feesAreValuedInQuoteAtTheFillPrice() {
        Portfolio p = portfolio("10000");
        p.apply(buy(1, "200", "2"));       // fee 0.002 BTC at 200 = 0.4 USDT
        p.apply(sell(2, "210", "1.998"));  // fee 0.41958 USDT
        assertThat(p.fees()).isEqualByComparingTo(d("0.4").add(d("0.41958")));
    }

    @Test
    void equityIsCashPlusHoldingsAtMarkAndDustStaysInEquity() {
        Portfolio p = portfolio("10000");
        p.apply(buy(1, "100", "1.00005"));     // receives 0.99905005
        p.mark("BTCUSDT", d("120"));
        BigDecimal held = d("1.00005").subtract(d("0.00100005"));
        assertThat(p.equity()).isEqualByComparingTo(d("10000").subtract(d("100.005")).add(held.multiply(d("120"))));
        p.apply(sell(2, "120", "0.99900000"));  // leaves 0.00004995: dust
        Holding h = p.holding("BTCUSDT");
        assertThat(h.isOpen()).isFalse();
        assertThat(h.qty()).isEqualByComparingTo("0.00004995");
        assertThat(p.openPositions()).isZero();
        assertThat(p.exposure()).isZero();
        // cash: 10000 - 100.005 + (119.88 - 0.11988 fee) = 10019.75512; the dust 0.00004995 BTC at 120 = 0.005994
        assertThat(p.cash()).isEqualByComparingTo("10019.75512");
        assertThat(p.equity()).isEqualByComparingTo("10019.761114");
        assertThat(p.roundTrips()).hasSize(1);
    }

    @Test
    void consecutiveLossesCountAndResetOnAWin() {
        Portfolio p = portfolio("10000");
        p.apply(buy(1, "100", "1"));
        p.apply(sell(2, "99", "0.999"));
        p.apply(buy(3, "100", "1"));
        p.apply(sell(4, "99", "0.999"));
        assertThat(p.consecutiveLosses("BTCUSDT")).isEqualTo(2);
        p.apply(buy(5, "100", "1"));
        p.apply(sell(6, "105", "0.999"));
        assertThat(p.consecutiveLosses("BTCUSDT")).isZero();
        assertThat(p.lastExitTimeMs("BTCUSDT")).isEqualTo(6);
    }

    @Test
    void sellingMoreThanHeldIsReportedAndAbsorbedNotAnError() {
        Portfolio p = portfolio("10000");
        java.util.List<Portfolio.ExternalChange> heard = new java.util.ArrayList<>();
        p.setExternalChangeListener(heard::add);
        p.apply(buy(1, "100", "1"));            // holds 0.999 BTC at cost 100
        RoundTrip rt = p.apply(sell(2, "110", "2")); // 1.001 BTC more than held: bought by hand, outside the bot
        assertThat(rt).isNotNull();
        assertThat(heard).singleElement().satisfies(c -> {
            assertThat(c.asset()).isEqualTo("BTC");
            assertThat(c.delta()).isEqualByComparingTo("1.001");
            assertThat(c.cause()).contains("id2").contains("held 0.999");
        });
        assertThat(p.externalChanges()).hasSize(1);
        // only the bot's 0.999 BTC count in its PnL; the rest of the proceeds came from outside
        BigDecimal proceeds = d("220").subtract(d("0.22"));
        BigDecimal botShare = proceeds.multiply(d("0.999")).divide(d("2"), java.math.MathContext.DECIMAL64);
        assertThat(p.realizedPnl()).isEqualByComparingTo(botShare.subtract(d("100")));
        assertThat(p.externalQuote()).isEqualByComparingTo(proceeds.subtract(botShare));
        assertThat(p.cash()).isEqualByComparingTo(d("9900").add(proceeds)); // cash is what the exchange holds
        assertThat(p.holding("BTCUSDT").qty()).isZero();
        assertThat(p.openPositions()).isZero();
    }

    @Test
    void feesPaidInBnbAreValuedInTheQuoteAssetAndCountAsCost() {
        Portfolio p = portfolio("10000");
        p.setAssetPrices(asset -> asset.equals("BNB") ? d("600") : null);
        Fill buy = new Fill(1, "BTCUSDT", Side.BUY, d("100"), d("10"), d("1000"), d("0.00125"), "BNB", "b1", "entry", 1);
        p.apply(buy);
        assertThat(p.fees()).isEqualByComparingTo("0.75");             // 0.00125 BNB x 600
        assertThat(p.otherAssetFees()).isEqualByComparingTo("0.75");
        assertThat(p.holding("BTCUSDT").qty()).isEqualByComparingTo("10"); // nothing taken from the base
        assertThat(p.cash()).isEqualByComparingTo("9000");               // nor from the quote
        assertThat(p.exposure("BTCUSDT")).isEqualByComparingTo("1000.75");
        p.mark("BTCUSDT", d("100"));
        assertThat(p.equity()).isEqualByComparingTo("9999.25");
        Fill sell = new Fill(2, "BTCUSDT", Side.SELL, d("110"), d("10"), d("1100"), d("0.001375"), "BNB", "s1", "exit", 2);
        RoundTrip rt = p.apply(sell);
        assertThat(p.fees()).isEqualByComparingTo("1.575");
        assertThat(p.realizedPnl()).isEqualByComparingTo(d("1100").subtract(d("1000.75")).subtract(d("0.825")));
        assertThat(rt.pnl()).isEqualByComparingTo(p.realizedPnl());
        assertThat(p.equity()).isEqualByComparingTo(d("10000").add(p.realizedPnl()));
        assertThat(p.unvaluedFees()).isEmpty();
    }

    @Test
    void aFeeInAnAssetWithoutAKnownPriceIsKeptAsUnvaluedNotDropped() {
        Portfolio p = portfolio("10000");
        p.apply(new Fill(1, "BTCUSDT", Side.BUY, d("100"), d("1"), d("100"), d("0.0002"), "BNB", "b1", "entry", 1));
        assertThat(p.unvaluedFees()).containsEntry("BNB", d("0.0002"));
        p.setAssetPrices(asset -> d("500"));
        p.apply(new Fill(2, "BTCUSDT", Side.BUY, d("100"), d("1"), d("100"), d("0.0002"), "BNB", "b2", "entry", 2));
        assertThat(p.fees()).isEqualByComparingTo("0.1");
        assertThat(p.unvaluedFees()).containsEntry("BNB", d("0.0002"));
    }

    @Test
    void aDepositOfTheQuoteAssetAndAManualChangeOfAHeldCoinAreAbsorbedOutsidePnl() {
        Portfolio p = portfolio("10000");
        p.apply(buy(1, "100", "1"));
        p.mark("BTCUSDT", d("120"));
        p.absorbExternal("USDT", d("500"), "balanceUpdate +500 USDT (deposit)", 3);
        assertThat(p.cash()).isEqualByComparingTo("10400");
        assertThat(p.externalQuote()).isEqualByComparingTo("500");
        assertThat(p.deployable()).isEqualByComparingTo("5000"); // a deposit is not profit
        p.absorbExternal("BTC", d("0.001"), "manual buy", 4);
        assertThat(p.holding("BTCUSDT").qty()).isEqualByComparingTo("1.000");
        assertThat(p.unrealizedPnl()).isEqualByComparingTo("19.88"); // unchanged by the absorbed 0.001 BTC
        p.absorbExternal("BTC", d("-0.5"), "manual sell", 5);
        assertThat(p.holding("BTCUSDT").qty()).isEqualByComparingTo("0.5");
        assertThat(p.holding("BTCUSDT").costQuote()).isEqualByComparingTo("50.06");
        p.absorbExternal("DOGE", d("100"), "airdrop", 6); // not a traded asset: reported only
        assertThat(p.externalChanges()).extracting(Portfolio.ExternalChange::asset).containsExactly("USDT", "BTC", "BTC", "DOGE");
        assertThat(p.realizedPnl()).isZero();
    }

    @Test
    void stopsOnlyRise() {
        Portfolio p = portfolio("10000");
        p.apply(buy(1, "100", "1"));
        p.setProtectiveLevels("BTCUSDT", d("99"), d("102"), "2023-04-01");
        assertThat(p.raiseStop("BTCUSDT", d("98"), "trail")).isFalse();
        assertThat(p.raiseStop("BTCUSDT", d("100.5"), "trail")).isTrue();
        assertThat(p.holding("BTCUSDT").stopPrice()).isEqualByComparingTo("100.5");
        assertThat(p.holding("BTCUSDT").stopReason()).isEqualTo("trail");
    }

    @Test
    void todayPnlRestartsAtEachUtcDay() {
        Portfolio p = portfolio("10000");
        p.onClock(1_000);
        p.apply(buy(1_000, "100", "10"));
        p.mark("BTCUSDT", d("90"));
        assertThat(p.todayPnl()).isNegative();
        p.onClock(86_400_000L + 5);
        assertThat(p.todayPnl()).isEqualByComparingTo("0");
        assertThat(p.dayStartEquity()).isEqualByComparingTo(p.equity());
    }

    @Test
    void moneyMovedInOrOutFromOutsideTheBotIsNotTheDaysPnl() {
        Portfolio p = portfolio("10000");
        p.onClock(1_000);
        p.apply(buy(1_000, "100", "1"));        // 0.999 BTC for 100
        p.apply(sell(1_001, "60", "0.999"));    // back for 59.94 less 0.05994: a trading loss of about 40
        BigDecimal loss = p.todayPnl();
        assertThat(loss).isEqualByComparingTo(d("59.94").subtract(d("0.05994")).subtract(d("100")));
        p.absorbExternal("USDT", d("1000"), "balanceUpdate: deposit", 1_002);
        assertThat(p.todayPnl()).as("a deposit does not hide the day's trading loss").isEqualByComparingTo(loss);
        p.absorbExternal("USDT", d("-3000"), "balanceUpdate: withdrawal", 1_003);
        assertThat(p.todayPnl()).as("a withdrawal is not a trading loss").isEqualByComparingTo(loss);
        p.apply(buy(1_004, "100", "1"));
        p.absorbExternal("BTC", d("-0.5"), "sent to another wallet by hand", 1_005);
        p.reduceToExchangeQuantity("BTCUSDT", d("0.4"));
        p.capCashToExchange(d("7000"));
        assertThat(p.todayPnl()).as("nor are coins or cash that left by hand")
                .isEqualByComparingTo(loss.subtract(d("0.1"))); // the second buy's fee, 0.001 BTC at 100
        // the day's starting equity moves with the money from outside: equity less it is the day's PnL
        assertThat(p.equity().subtract(p.dayStartEquity())).isEqualByComparingTo(p.todayPnl());
        assertThat(p.dayStartTradingEquity()).isEqualByComparingTo("10000");
    }

    @Test
    void aRestartContinuesTheDayItsJournalHoldsAndALaterDayStartsAfresh() {
        java.util.List<String> started = new java.util.ArrayList<>();
        Portfolio p = portfolio("10000");
        p.setDayStartListener((dayMs, equity) -> started.add(dayMs + "=" + equity.toPlainString()));
        p.continueDay(86_400_000L, d("10050")); // the day began at 10050 in an earlier run
        p.onClock(86_400_000L + 3_600_000L);
        assertThat(p.todayPnl()).as("the day's PnL runs from its start, not from this start").isEqualByComparingTo("-50");
        assertThat(started).as("the day was not started again").isEmpty();
        p.onClock(2 * 86_400_000L);
        assertThat(p.todayPnl()).isZero();
        assertThat(started).containsExactly(2 * 86_400_000L + "=10000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.continueDay(12_345, d("1")))
                .hasMessageContaining("12345").hasMessageContaining("not a UTC midnight");
    }
}
