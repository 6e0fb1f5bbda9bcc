package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REQUIRES Debian's chromium and chromium-driver (see {@link Chromium}). The demo's report.html, opened
 * from disk (offline) in real headless Chromium at 1400 and 800 px: the charts fit their box with every
 * label inside, the value ticks are round, every fill and halt has its marker, and the tables hold the
 * report's own figures. Screenshots: target/screenshots/report-1400.png, report-800.png.
 */
class ReportInHeadlessChromiumTest {

    private static DemoRun demo;
    private static WebDriver driver;
    private static Path profile;
    private static JsonNode report;
    private static List<String[]> trades;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoRun.shared();
        report = new ObjectMapper().readTree(demo.reportDir.resolve("report.json").toFile());
        trades = Files.readAllLines(demo.reportDir.resolve("trades.csv")).stream().skip(1).map(l -> l.split(",", -1)).toList();
        profile = Files.createTempDirectory("aquatrade-chromium-report-");
        driver = Chromium.start(profile, 1400, 2400);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @ParameterizedTest
    @ValueSource(ints = {1400, 800})
    @SuppressWarnings("unchecked")
    void theReportFitsTheWindowAndShowsWhatTheRunDid(int width) throws Exception {
        Chromium.width(driver, width, 2400);
        driver.get(demo.reportDir.resolve("report.html").toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "drawn".equals(
                js("return document.body.getAttribute('data-charts')")));
        // nothing wider than the window: no horizontal scrolling of the page
        long inner = ((Number) js("return window.innerWidth")).longValue();
        assertThat(((Number) js("return document.documentElement.scrollWidth")).longValue()).isLessThanOrEqualTo(inner);
        for (String chart : List.of("equity-chart", "exposure-chart")) {
            Map<String, Object> fit = (Map<String, Object>) js(
                    "const box = document.getElementById(arguments[0]); const svg = box.querySelector('svg');"
                            + "const w = svg.getBoundingClientRect().width;"
                            + "const out = Array.from(svg.querySelectorAll('text')).filter(t => { const b = t.getBBox();"
                            + "  return b.x < -0.5 || b.x + b.width > w + 0.5 || b.y < -0.5 || b.y + b.height > svg.height.baseVal.value + 0.5; })"
                            + "  .map(t => t.textContent);"
                            + "return {svg: w, box: box.clientWidth, outside: out,"
                            + "  ticks: Array.from(svg.querySelectorAll('text.tick')).map(t => t.textContent)};", chart);
            assertThat(((Number) fit.get("svg")).doubleValue()).as(chart + " width").isLessThanOrEqualTo(
                    ((Number) fit.get("box")).doubleValue() + 0.5).isGreaterThan(width * 0.8);
            assertThat((List<String>) fit.get("outside")).as(chart + ": labels outside the chart").isEmpty();
            assertRoundValueTicks(chart, (List<String>) fit.get("ticks"));
        }
        // a marker per fill, a line per halt (on both charts)
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart g.fill').length")).intValue())
                .isEqualTo(trades.size());
        long sells = trades.stream().filter(t -> t[2].equals("SELL")).count();
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart g.fill.SELL').length")).longValue())
                .isEqualTo(sells);
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart g.halt').length")).intValue())
                .isEqualTo(report.get("halts").size());
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart line.start').length")).intValue()).isOne();
        assertThat(((Number) js("return document.querySelectorAll('#equity-chart path.drawdown').length")).intValue()).isOne();
        String capLabel = (String) js("return document.querySelector('#exposure-chart .cap-label').textContent");
        assertThat(capLabel).contains("total exposure cap").contains(String.format(java.util.Locale.ROOT, "%,d",
                report.get("caps").get("max_total_exposure_quote").decimalValue().intValue()));

        // the tables: the per-symbol total is the report's realised PnL; results by exit reason add up to the round trips
        String body = (String) js("return document.body.innerText");
        assertThat(body).contains("Results by exit reason").contains("Per symbol").contains("Halts and guardrails")
                .contains("Trades").contains("Rules and configuration").contains(report.get("rules").get("version").asText())
                .doesNotContain("T00:00:00").doesNotContain(".999Z");
        List<List<String>> symbolRows = (List<List<String>>) js(
                "return Array.from(document.querySelectorAll('h2')).find(h => h.textContent.startsWith('Per symbol'))"
                        + ".nextElementSibling.querySelectorAll('tr.total').length ? [Array.from(Array.from(document.querySelectorAll('h2'))"
                        + ".find(h => h.textContent.startsWith('Per symbol')).nextElementSibling.querySelector('tr.total').cells)"
                        + ".map(c => c.textContent)] : []");
        assertThat(symbolRows).hasSize(1);
        String net = symbolRows.get(0).get(7).replace(",", "").replace("+", "");
        assertThat(new java.math.BigDecimal(net)).isEqualByComparingTo(report.get("realized_pnl").decimalValue()
                .setScale(2, java.math.RoundingMode.HALF_EVEN));
        List<String> reasonCounts = (List<String>) js(
                "return Array.from(Array.from(document.querySelectorAll('h2')).find(h => h.textContent.startsWith('Results by exit'))"
                        + ".nextElementSibling.querySelectorAll('tr')).slice(1).map(r => r.cells[1].textContent)");
        assertThat(reasonCounts.stream().mapToLong(Long::parseLong).sum()).isEqualTo(report.get("round_trips").asLong());
        Set<String> exitReasons = new HashSet<>();
        trades.stream().filter(t -> t[2].equals("SELL")).forEach(t -> exitReasons.add(t[9]));
        assertThat(reasonCounts).hasSizeLessThanOrEqualTo(exitReasons.size());
        Chromium.screenshot(driver, "report-" + width + ".png");
    }

    /** Ticks are multiples of one step of 1, 2, 2.5 or 5 times a power of ten. */
    private static void assertRoundValueTicks(String chart, List<String> ticks) {
        List<Double> values = ticks.stream().filter(t -> t.matches("-?[\\d,]+(\\.\\d+)?")).map(t -> Double.parseDouble(
                t.replace(",", ""))).toList();
        assertThat(values).as(chart + " value ticks " + ticks).hasSizeGreaterThanOrEqualTo(3);
        double step = values.get(1) - values.get(0);
        double mag = Math.pow(10, Math.floor(Math.log10(Math.abs(step))));
        double m = Math.abs(step) / mag;
        assertThat(List.of(1.0, 2.0, 2.5, 5.0).stream().anyMatch(x -> Math.abs(x - m) < 1e-6)).as(chart + " step " + step)
                .isTrue();
        for (double v : values) {
            assertThat(Math.abs(v / step - Math.rint(v / step))).as(chart + " tick " + v).isLessThan(1e-6);
        }
    }
}
