package io.aquatrade.exchange;

import io.aquatrade.model.Side;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import static io.aquatrade.exchange.RealExchangeInfo.all2021;
import static io.aquatrade.exchange.RealExchangeInfo.ethbtc2025;
import static io.aquatrade.exchange.RealExchangeInfo.ethbtc2025With;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rounding and validation on the real exchangeInfo files, with Binance's exact codes and messages. */
class SymbolFiltersTest {

    private static final BinanceError LOT_SIZE = new BinanceError(-1013, "Filter failure: LOT_SIZE");
    private static final BinanceError MARKET_LOT_SIZE = new BinanceError(-1013, "Filter failure: MARKET_LOT_SIZE");
    private static final BinanceError PRICE_FILTER = new BinanceError(-1013, "Filter failure: PRICE_FILTER");
    private static final BinanceError MIN_NOTIONAL = new BinanceError(-1013, "Filter failure: MIN_NOTIONAL");
    private static final BinanceError NOTIONAL = new BinanceError(-1013, "Filter failure: NOTIONAL");

    private static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }

    private static SymbolFilters btc() {
        return all2021().filters("BTCUSDT").orElseThrow();
    }

    private static SymbolFilters doge() {
        return all2021().filters("DOGEUSDT").orElseThrow();
    }

    private static SymbolFilters ethbtc() {
        return ethbtc2025().filters("ETHBTC").orElseThrow();
    }

    // ---------------------------------------------------------------- rounding on real filters

    @Test
    void btcusdtQuantitiesRoundDownToItsStepOfOneHundredThousandth() {
        SymbolFilters f = btc();
        assertThat(f.stepSize()).isEqualByComparingTo("0.00001");
        assertThat(f.roundQtyDown(bd("0.123456789"))).isEqualByComparingTo("0.12345");
        assertThat(f.roundQtyDown(bd("0.123456789")).toPlainString()).isEqualTo("0.12345");
        assertThat(f.roundQtyDown(bd("0.00001"))).isEqualByComparingTo("0.00001");
        assertThat(f.roundQtyDown(bd("0.0000199999"))).isEqualByComparingTo("0.00001");
        assertThat(f.roundQtyDown(bd("0.0000099"))).isEqualByComparingTo("0"); // below minQty: nothing to send
        assertThat(f.roundQtyDown(bd("0.12345"), OrderType.MARKET)).isEqualByComparingTo("0.12345");
        assertThat(f.roundQtyDown(bd("5"), OrderType.MARKET).toPlainString()).isEqualTo("5");
    }

    @Test
    void btcusdtPricesRoundToTheCentWithTheModeAsked() {
        SymbolFilters f = btc();
        assertThat(f.tickSize()).isEqualByComparingTo("0.01");
        assertThat(f.roundPrice(bd("43210.987"), RoundingMode.FLOOR).toPlainString()).isEqualTo("43210.98");
        assertThat(f.roundPrice(bd("43210.981"), RoundingMode.CEILING).toPlainString()).isEqualTo("43210.99");
        assertThat(f.roundPrice(bd("43210.985"), RoundingMode.HALF_EVEN).toPlainString()).isEqualTo("43210.98");
        assertThat(f.roundPrice(bd("43210.985"), RoundingMode.HALF_UP).toPlainString()).isEqualTo("43210.99");
        assertThat(f.roundPrice(bd("43210.98"), RoundingMode.CEILING).toPlainString()).isEqualTo("43210.98");
        assertThat(f.roundLimitPrice(Side.BUY, bd("43210.987")).toPlainString()).isEqualTo("43210.98");
        assertThat(f.roundLimitPrice(Side.SELL, bd("43210.981")).toPlainString()).isEqualTo("43210.99");
    }

    @Test
    void dogeusdtTradesWholeCoins() {
        SymbolFilters f = doge();
        assertThat(f.stepSize()).isEqualByComparingTo("1");
        assertThat(f.tickSize()).isEqualByComparingTo("0.0001");
        assertThat(f.roundQtyDown(bd("1234.99")).toPlainString()).isEqualTo("1234");
        assertThat(f.roundQtyDown(bd("0.99"))).isEqualByComparingTo("0");
        assertThat(f.qtyForQuote(bd("100"), bd("0.2345"), OrderType.MARKET).toPlainString()).isEqualTo("426");
        assertThat(f.minTradableQty(bd("0.2345"), OrderType.MARKET).toPlainString()).isEqualTo("43");
        assertThat(f.roundLimitPrice(Side.BUY, bd("0.234567")).toPlainString()).isEqualTo("0.2345");
    }

    @Test
    void quantityForAQuoteAmountNeverSpendsMoreThanIt() {
        SymbolFilters f = btc();
        BigDecimal price = bd("43210.98");
        BigDecimal qty = f.qtyForQuote(bd("25"), price, OrderType.MARKET);
        assertThat(qty.toPlainString()).isEqualTo("0.00057");
        assertThat(qty.multiply(price)).isLessThanOrEqualTo(bd("25"));
        assertThat(qty.add(f.stepSize()).multiply(price)).isGreaterThan(bd("25"));
        assertThat(f.qtyForQuote(bd("0.1"), price, OrderType.MARKET)).isEqualByComparingTo("0");
        assertThatThrownBy(() -> f.qtyForQuote(bd("25"), BigDecimal.ZERO, OrderType.MARKET))
                .hasMessageContaining("BTCUSDT").hasMessageContaining("price");
    }

    @Test
    void smallestTradableQuantityMeetsMinNotional() {
        SymbolFilters f = btc();
        assertThat(f.minNotional(OrderType.LIMIT)).isEqualByComparingTo("10");
        assertThat(f.minNotional(OrderType.MARKET)).isEqualByComparingTo("10"); // applyToMarket true
        assertThat(f.minTradableQty(bd("40000"), OrderType.LIMIT).toPlainString()).isEqualTo("0.00025");
        BigDecimal q = f.minTradableQty(bd("43210.98"), OrderType.LIMIT);
        assertThat(q.toPlainString()).isEqualTo("0.00024");
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), q).isOk()).isTrue();
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), q.subtract(f.stepSize())).rejection())
                .isEqualTo(MIN_NOTIONAL);
    }

    @Test
    void ethbtc2025RoundsOnItsOwnGrid() {
        SymbolFilters f = ethbtc();
        assertThat(f.qtyForQuote(bd("0.05"), bd("0.02345"), OrderType.LIMIT).toPlainString()).isEqualTo("2.1321");
        assertThat(f.roundLimitPrice(Side.BUY, bd("0.0234567")).toPlainString()).isEqualTo("0.02345");
        assertThat(f.roundLimitPrice(Side.SELL, bd("0.0234567")).toPlainString()).isEqualTo("0.02346");
        assertThat(f.minNotional(OrderType.MARKET)).isEqualByComparingTo("0.0001");
        assertThat(f.maxNotional(OrderType.LIMIT)).isEqualByComparingTo("9000000");
        assertThat(f.maxNotional(OrderType.MARKET)).isNull(); // applyMaxToMarket false
        assertThat(f.maxQty(OrderType.MARKET)).isEqualByComparingTo("985.33449583");
        assertThat(f.maxQty(OrderType.LIMIT)).isEqualByComparingTo("100000");
    }

    // ---------------------------------------------------------------- MARKET_LOT_SIZE with an enabled step

    private static SymbolFilters ethbtcWithMarketLotStep() {
        String json = ethbtc2025With(
                "{\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0.00000000\",\"maxQty\":\"985.33449583\",\"stepSize\":\"0.00000000\"}",
                "{\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0.05\",\"maxQty\":\"500\",\"stepSize\":\"0.01\"}");
        return ExchangeInfo.parse(json, "market-lot-step").filters("ETHBTC").orElseThrow();
    }

    @Test
    void marketOrdersRoundToBothLotGridsWhenMarketLotSizeIsEnabled() {
        SymbolFilters f = ethbtcWithMarketLotStep();
        assertThat(f.roundQtyDown(bd("0.123456"), OrderType.LIMIT).toPlainString()).isEqualTo("0.1234");
        assertThat(f.roundQtyDown(bd("0.123456"), OrderType.MARKET).toPlainString()).isEqualTo("0.12");
        assertThat(f.roundQtyDown(bd("0.049"), OrderType.MARKET)).isEqualByComparingTo("0");
        assertThat(f.minTradableQty(bd("0.02345"), OrderType.MARKET).toPlainString()).isEqualTo("0.05");
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("0.02345"), bd("0.1234")).rejection()).isEqualTo(MARKET_LOT_SIZE);
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("0.02345"), bd("0.12")).isOk()).isTrue();
        assertThat(f.validate(Side.SELL, OrderType.LIMIT, bd("0.02345"), bd("0.1234")).isOk()).isTrue();
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("0.02345"), bd("501")).rejection()).isEqualTo(MARKET_LOT_SIZE);
    }

    // ---------------------------------------------------------------- rejections exactly as Binance gives them

    @Test
    void validOrdersPass() {
        assertThat(btc().validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), bd("0.00100"))).isEqualTo(OrderCheck.ok());
        assertThat(btc().validate(Side.SELL, OrderType.MARKET, bd("43210.98"), bd("0.00025")).isOk()).isTrue();
        assertThat(btc().validate(Side.BUY, OrderType.LIMIT_MAKER, bd("43210.98"), bd("0.000250000000")).isOk()).isTrue();
        assertThat(btc().validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), bd("101")).isOk()).isTrue();
        assertThat(all2021().validate("DOGEUSDT", Side.BUY, OrderType.MARKET, bd("0.2345"), bd("43")).isOk()).isTrue();
    }

    @Test
    void lotSizeRejections() {
        SymbolFilters f = btc();
        OrderCheck offStep = f.validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), bd("0.100015"));
        assertThat(offStep.rejection()).isEqualTo(LOT_SIZE);
        assertThat(offStep.rejection().code()).isEqualTo(-1013);
        assertThat(offStep.rejection().msg()).isEqualTo("Filter failure: LOT_SIZE");
        assertThat(offStep.detail()).contains("BTCUSDT", "0.100015", "stepSize");
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("43210.98"), bd("0.000001")).rejection()).isEqualTo(LOT_SIZE);
        assertThat(f.validate(Side.SELL, OrderType.LIMIT, bd("43210.98"), bd("9000.00001")).rejection()).isEqualTo(LOT_SIZE);
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("43210.98"), bd("0.100015")).rejection()).isEqualTo(LOT_SIZE);
        assertThat(all2021().validate("DOGEUSDT", Side.SELL, OrderType.MARKET, bd("0.2345"), bd("100.5")).rejection())
                .isEqualTo(LOT_SIZE);
    }

    @Test
    void marketLotSizeRejectsAMarketOrderAboveItsMaxQty() {
        OrderCheck c = btc().validate(Side.SELL, OrderType.MARKET, bd("43210.98"), bd("101"));
        assertThat(c.rejection()).isEqualTo(MARKET_LOT_SIZE);
        assertThat(c.detail()).contains("maxQty 100.05381873");
    }

    @Test
    void priceFilterRejections() {
        SymbolFilters f = btc();
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("43210.987"), bd("0.001")).rejection()).isEqualTo(PRICE_FILTER);
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("0.001"), bd("0.001")).rejection()).isEqualTo(PRICE_FILTER);
        assertThat(f.validate(Side.SELL, OrderType.LIMIT, bd("1000000.01"), bd("0.001")).rejection()).isEqualTo(PRICE_FILTER);
        // a MARKET order has no price: the reference price is not held to the tick
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("43210.987"), bd("0.001")).isOk()).isTrue();
    }

    @Test
    void minNotionalOfThe2021GenerationAppliesToLimitAndMarket() {
        SymbolFilters f = btc();
        OrderCheck limit = f.validate(Side.BUY, OrderType.LIMIT, bd("40000"), bd("0.0002"));
        assertThat(limit.rejection()).isEqualTo(MIN_NOTIONAL);
        assertThat(limit.detail()).contains("notional 8", "minNotional 10");
        OrderCheck market = f.validate(Side.BUY, OrderType.MARKET, bd("40000"), bd("0.0002"));
        assertThat(market.rejection()).isEqualTo(MIN_NOTIONAL);
        assertThat(market.detail()).contains("reference price 40000");
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("40000"), bd("0.00025")).isOk()).isTrue();
    }

    @Test
    void notionalOfThe2025GenerationHonoursItsMarketFlags() {
        SymbolFilters f = ethbtc();
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("0.02345"), bd("0.0042")).rejection()).isEqualTo(NOTIONAL);
        assertThat(f.validate(Side.BUY, OrderType.MARKET, bd("0.02345"), bd("0.0042")).rejection()).isEqualTo(NOTIONAL); // applyMinToMarket
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("0.02345"), bd("0.0043")).isOk()).isTrue();
        // 900 x 10001 = 9,000,900 > maxNotional 9,000,000: refused for LIMIT, allowed for MARKET (applyMaxToMarket false)
        OrderCheck limit = f.validate(Side.BUY, OrderType.LIMIT, bd("10001"), bd("900"));
        assertThat(limit.rejection()).isEqualTo(NOTIONAL);
        assertThat(limit.detail()).contains("maxNotional 9000000");
        assertThat(f.validate(Side.BUY, OrderType.MARKET, bd("10001"), bd("900")).isOk()).isTrue();
    }

    @Test
    void applyMinToMarketFalseLetsATinyMarketOrderThroughWithoutAReferencePrice() {
        SymbolFilters f = ExchangeInfo.parse(ethbtc2025With("\"applyMinToMarket\":true", "\"applyMinToMarket\":false"), "t")
                .filters("ETHBTC").orElseThrow();
        assertThat(f.validate(Side.BUY, OrderType.MARKET, null, bd("0.0001")).isOk()).isTrue();
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("0.02345"), bd("0.0001")).rejection()).isEqualTo(NOTIONAL);
    }

    @Test
    void aMarketOrderThatANotionalFilterAppliesToNeedsAReferencePrice() {
        assertThatThrownBy(() -> btc().validate(Side.BUY, OrderType.MARKET, null, bd("0.001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BTCUSDT").hasMessageContaining("MIN_NOTIONAL").hasMessageContaining("reference price");
    }

    @Test
    void percentPriceBandsApplyToPricedOrdersWhenTheAveragePriceIsKnown() {
        BinanceError percentPrice = new BinanceError(-1013, "Filter failure: PERCENT_PRICE");
        SymbolFilters f = btc(); // 2021: PERCENT_PRICE up 5, down 0.2
        BigDecimal avg = bd("40000");
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("200000.01"), bd("0.001"), avg).rejection()).isEqualTo(percentPrice);
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("200000.00"), bd("0.001"), avg).isOk()).isTrue();
        OrderCheck low = f.validate(Side.SELL, OrderType.LIMIT, bd("7999.99"), bd("0.002"), avg);
        assertThat(low.rejection()).isEqualTo(percentPrice);
        assertThat(low.detail()).contains("< average 40000 x 0.2");
        assertThat(f.validate(Side.SELL, OrderType.LIMIT, bd("7999.99"), bd("0.002")).isOk()).isTrue(); // no average: not checked
        assertThat(f.validate(Side.SELL, OrderType.MARKET, bd("7999.99"), bd("0.002"), avg).isOk()).isTrue(); // MARKET has no price

        BinanceError bySide = new BinanceError(-1013, "Filter failure: PERCENT_PRICE_BY_SIDE");
        SymbolFilters e = ethbtc(); // 2025: bid and ask bands both 0.2 .. 5
        assertThat(e.validate(Side.SELL, OrderType.LIMIT, bd("0.11726"), bd("1"), bd("0.02345")).rejection()).isEqualTo(bySide);
        assertThat(e.validate(Side.BUY, OrderType.LIMIT, bd("0.00468"), bd("1"), bd("0.02345")).rejection()).isEqualTo(bySide);
        assertThat(e.validate(Side.BUY, OrderType.LIMIT, bd("0.00469"), bd("1"), bd("0.02345")).isOk()).isTrue();
        assertThat(ethbtc2025().validate("ETHBTC", Side.BUY, OrderType.LIMIT, bd("0.00468"), bd("1"), bd("0.02345")).rejection())
                .isEqualTo(bySide);
    }

    @Test
    void zeroQuantityOrPriceAndExcessPrecision() {
        SymbolFilters f = btc();
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("40000"), bd("0")).rejection())
                .isEqualTo(new BinanceError(-1013, "Invalid quantity."));
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("0"), bd("0.001")).rejection())
                .isEqualTo(new BinanceError(-1013, "Invalid price."));
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("40000"), bd("0.123456789")).rejection())
                .isEqualTo(new BinanceError(-1111, "Parameter 'quantity' has too much precision."));
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, bd("40000.000000001"), bd("0.001")).rejection())
                .isEqualTo(new BinanceError(-1111, "Parameter 'price' has too much precision."));
    }

    @Test
    void aSymbolOnBreakIsAClosedMarket() {
        OrderCheck c = all2021().validate("BCCUSDT", Side.BUY, OrderType.LIMIT, bd("100"), bd("1"));
        assertThat(c.rejection()).isEqualTo(new BinanceError(-2010, "Market is closed."));
        assertThat(c.detail()).contains("BREAK");
    }

    @Test
    void maxNumOrdersCountsOpenOrders() {
        assertThat(btc().maxNumOrders()).isEqualTo(200);
        assertThat(btc().validateOpenOrders(199).isOk()).isTrue();
        assertThat(btc().validateOpenOrders(200).rejection())
                .isEqualTo(new BinanceError(-1013, "Filter failure: MAX_NUM_ORDERS"));
    }

    @Test
    void negativeInputsAreProgrammingErrorsNamingTheSymbol() {
        assertThatThrownBy(() -> btc().roundQtyDown(bd("-1"))).hasMessageContaining("BTCUSDT").hasMessageContaining("negative");
        assertThatThrownBy(() -> btc().roundPrice(null, RoundingMode.FLOOR)).hasMessageContaining("BTCUSDT");
    }

    // ---------------------------------------------------------------- properties over all 315 bundled symbols

    private static final ExchangeInfo BUNDLED = ExchangeInfo.loadDefault();
    private static final List<SymbolFilters> USDT = new ArrayList<>(BUNDLED.all());
    private static final BigDecimal TRILLION = BigDecimal.valueOf(1_000_000_000_000L);

    private static BigDecimal between(BigDecimal lo, BigDecimal hi, long trillionths) {
        return lo.add(hi.subtract(lo).multiply(BigDecimal.valueOf(trillionths)).divide(TRILLION));
    }

    @Property(tries = 1500)
    void aRoundedQuantityIsAlwaysAcceptedAndLosesLessThanOneStep(
            @ForAll @IntRange(min = 0, max = 314) int index,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long pricePoint,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long qtyPoint,
            @ForAll OrderType type, @ForAll Side side) {
        SymbolFilters f = USDT.get(index);
        SymbolFilter.PriceFilter pf = f.info().filter(SymbolFilter.PriceFilter.class).orElseThrow();
        BigDecimal price = f.roundPrice(between(pf.minPrice(), pf.maxPrice(), pricePoint), RoundingMode.FLOOR);
        BigDecimal lo = f.minTradableQty(price, type);
        Assume.that(lo != null);
        BigDecimal q = between(lo, f.maxQty(type), qtyPoint);

        BigDecimal r = f.roundQtyDown(q, type);

        assertThat(r).isLessThanOrEqualTo(q).isGreaterThanOrEqualTo(lo);
        assertThat(q.subtract(r)).isLessThan(f.stepSize());
        OrderCheck c = f.validate(side, type, price, r);
        assertThat(c.isOk()).as("%s %s %s @ %s: %s", f.symbol(), type, r, price, c).isTrue();
    }

    @Property(tries = 1500)
    void aRoundedLimitPriceIsOnTheTickAndTheSmallestTradableQuantityAtItIsExactlyTheMinimum(
            @ForAll @IntRange(min = 0, max = 314) int index,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long pricePoint) {
        SymbolFilters f = USDT.get(index);
        SymbolFilter.PriceFilter pf = f.info().filter(SymbolFilter.PriceFilter.class).orElseThrow();
        BigDecimal p = between(pf.minPrice(), pf.maxPrice(), pricePoint);

        BigDecimal buy = f.roundLimitPrice(Side.BUY, p);
        BigDecimal sell = f.roundLimitPrice(Side.SELL, p);

        assertThat(buy).isLessThanOrEqualTo(p);
        assertThat(p.subtract(buy)).isLessThan(pf.tickSize());
        assertThat(sell).isGreaterThanOrEqualTo(p);
        assertThat(sell.subtract(p)).isLessThan(pf.tickSize());
        BigDecimal qty = f.minTradableQty(buy, OrderType.LIMIT);
        Assume.that(qty != null);
        assertThat(f.validate(Side.BUY, OrderType.LIMIT, buy, qty).isOk()).as("%s %s @ %s", f.symbol(), qty, buy).isTrue();
        BigDecimal less = qty.subtract(f.stepSize());
        if (less.signum() > 0) {
            assertThat(f.validate(Side.BUY, OrderType.LIMIT, buy, less).rejection())
                    .as("%s %s @ %s", f.symbol(), less, buy).isIn(LOT_SIZE, MIN_NOTIONAL);
        }
    }

    @Property(tries = 1500)
    void aQuoteAmountBuysTheMostWholeStepsItCanAfford(
            @ForAll @IntRange(min = 0, max = 314) int index,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long pricePoint,
            @ForAll @LongRange(min = 1, max = 100_000_000_000L) long quoteCents) {
        SymbolFilters f = USDT.get(index);
        SymbolFilter.PriceFilter pf = f.info().filter(SymbolFilter.PriceFilter.class).orElseThrow();
        BigDecimal price = f.roundPrice(between(pf.minPrice(), pf.maxPrice(), pricePoint), RoundingMode.FLOOR);
        BigDecimal quote = BigDecimal.valueOf(quoteCents, 2);

        BigDecimal qty = f.qtyForQuote(quote, price, OrderType.MARKET);

        assertThat(qty.multiply(price)).isLessThanOrEqualTo(quote);
        if (qty.signum() > 0) {
            assertThat(qty.add(f.stepSize()).multiply(price)).isGreaterThan(quote);
        } else {
            assertThat(f.minQty(OrderType.MARKET).multiply(price)).isGreaterThan(quote);
        }
    }

    // ---------------------------------------------------------------- the grid arithmetic against its textbook form

    /** An odd grid: the tick is not a power of ten and minPrice is off its multiples; so are the lot's. */
    private static final SymbolFilters ODD_GRID = ExchangeInfo.parse(ethbtc2025With(
            "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00001000\",\"maxPrice\":\"922327.00000000\",\"tickSize\":\"0.00001000\"}",
            "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.03\",\"maxPrice\":\"922327\",\"tickSize\":\"0.05\"}")
            .replace("{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00010000\",\"maxQty\":\"100000.00000000\",\"stepSize\":\"0.00010000\"}",
                    "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.0003\",\"maxQty\":\"100000\",\"stepSize\":\"0.0025\"}"),
            "odd-grid").filters("ETHBTC").orElseThrow();

    /** One of the 1,695 symbols of 2021's exchangeInfo, or (past them) the odd grid. */
    private static SymbolFilters realOrOdd(int index) {
        List<SymbolFilters> all = new ArrayList<>(all2021().all());
        int i = index % (all.size() + 1);
        return i == all.size() ? ODD_GRID : all.get(i);
    }

    @Property(tries = 3000)
    void roundingAPriceOfAnyPrecisionGivesExactlyTheTextbookTick(
            @ForAll @IntRange(min = 0, max = 1_695) int index,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long digits,
            @ForAll @IntRange(min = 0, max = 24) int scale,
            @ForAll RoundingMode mode) {
        Assume.that(mode != RoundingMode.UNNECESSARY);
        SymbolFilters f = realOrOdd(index);
        SymbolFilter.PriceFilter pf = f.info().filter(SymbolFilter.PriceFilter.class).orElseThrow();
        Assume.that(pf.tickSize().signum() > 0);
        BigDecimal price = BigDecimal.valueOf(digits, scale);

        // minPrice + k * tickSize, k counted from the grid point nearest zero, at full precision
        BigDecimal offset = pf.minPrice().remainder(pf.tickSize());
        BigDecimal k = price.subtract(offset).divide(pf.tickSize(), 0, mode);
        BigDecimal textbook = offset.add(k.multiply(pf.tickSize()));
        textbook = textbook.signum() == 0 ? BigDecimal.ZERO : textbook.stripTrailingZeros();
        textbook = textbook.scale() < 0 ? textbook.setScale(0) : textbook;

        assertThat(f.roundPrice(price, mode)).as("%s %s %s", f.symbol(), price, mode).isEqualTo(textbook);
    }

    @Property(tries = 3000)
    void roundingAQuantityDownAndCheckingTheGridAgreeWithTheTextbookGrid(
            @ForAll @IntRange(min = 0, max = 1_695) int index,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long digits,
            @ForAll @IntRange(min = 0, max = 12) int scale) {
        SymbolFilters f = realOrOdd(index);
        SymbolFilter.LotSize lot = f.info().filter(SymbolFilter.LotSize.class).orElseThrow();
        Assume.that(lot.stepSize().signum() > 0);
        BigDecimal qty = BigDecimal.valueOf(digits, Math.min(scale, Math.max(f.info().baseAssetPrecision(), 0)));

        BigDecimal q = qty.setScale(Math.max(f.info().baseAssetPrecision(), 0), RoundingMode.DOWN);
        BigDecimal textbook = q.compareTo(lot.minQty()) < 0 ? BigDecimal.ZERO
                : lot.minQty().add(q.subtract(lot.minQty()).divideToIntegralValue(lot.stepSize()).multiply(lot.stepSize()));
        BigDecimal rounded = f.roundQtyDown(qty, OrderType.LIMIT);
        assertThat(rounded).as("%s %s", f.symbol(), qty).isEqualByComparingTo(textbook);

        // the grid check says "on the grid" exactly when (qty - minQty) % stepSize == 0
        boolean onGrid = qty.compareTo(lot.minQty()) >= 0 && qty.subtract(lot.minQty()).remainder(lot.stepSize()).signum() == 0;
        Assume.that(f.info().isTrading() && f.info().allows(OrderType.LIMIT));
        SymbolFilter.PriceFilter pf = f.info().filter(SymbolFilter.PriceFilter.class).orElseThrow();
        BigDecimal price = pf.minPrice().signum() > 0 ? pf.minPrice() : pf.tickSize().max(BigDecimal.ONE);
        OrderCheck c = f.validate(Side.BUY, OrderType.LIMIT, price, qty);
        boolean gridRejected = !c.isOk() && c.rejection().equals(LOT_SIZE) && c.detail().contains("plus a multiple of");
        if (qty.compareTo(lot.minQty()) >= 0 && qty.signum() > 0
                && (lot.maxQty().signum() == 0 || qty.compareTo(lot.maxQty()) <= 0)) {
            assertThat(gridRejected).as("%s %s: %s", f.symbol(), qty, c).isEqualTo(!onGrid);
        }
    }
}
