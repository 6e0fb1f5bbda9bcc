package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local server as its own process (what a crash loop needs: the bot restarts, the exchange keeps its state),
 * driven through its {@code /_local/} controls: a dropped answer after execution, then the order list read back.
 */
class LocalBinanceServerProcessTest {

    @Test
    void aServerProcessKeepsTheExchangesStateAndIsControlledOverHttp() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LocalBinanceServer.class.getName(), "--balance", "USDT=500", "--book", "BTCUSDT=30000.00/30000.01")
                .redirectErrorStream(true).start();
        Vertx vertx = Vertx.vertx();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("rest="));
            assertThat(line).as("the server's URL line").isNotNull().contains("ws-api=ws://127.0.0.1:").contains("/ws-api/v3");
            String rest = line.substring(5, line.indexOf(' '));
            WebClient web = WebClient.create(vertx);
            get(web.postAbs(rest + "/_local/drop-next-response?path=/api/v3/order").send());
            BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(rest),
                    BinanceCredentials.hmac(Secret.of(LocalBinance.DOC_API_KEY), Secret.of(LocalBinance.DOC_SECRET)),
                    LocalBinance.throttle(), System::currentTimeMillis, null);
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("symbol", "BTCUSDT");
            order.put("side", "BUY");
            order.put("type", "MARKET");
            order.put("quoteOrderQty", new BigDecimal("100"));
            order.put("newClientOrderId", "aq-proc-1");
            Throwable lost = new BinanceRestClient(vertx, http).newOrder(order, OrderThrottle.Kind.ENTRY_ORDER, 0)
                    .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            assertThat(lost).isInstanceOf(io.aquatrade.exchange.binance.http.OutcomeUnknownException.class);
            JsonNode orders = LocalBinanceServer.JSON.readTree(get(web.getAbs(rest + "/_local/orders").send()).bodyAsString());
            assertThat(orders.get("orders")).hasSize(1);
            assertThat(orders.get("orders").get(0).get("clientOrderId").asText()).isEqualTo("aq-proc-1");
            assertThat(orders.get("orders").get(0).get("status").asText()).isEqualTo("FILLED");
            JsonNode balances = LocalBinanceServer.JSON.readTree(get(web.getAbs(rest + "/_local/balances").send()).bodyAsString());
            assertThat(new BigDecimal(balances.get("balances").get("USDT").asText())).isLessThan(new BigDecimal("500"));
            http.close();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
