package io.aquatrade.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinanceErrorTest {

    @Test
    void readsBinancesErrorBodyAndNamesTheFilter() throws Exception {
        BinanceError e = new ObjectMapper().readValue("{\"code\":-1013,\"msg\":\"Filter failure: NOTIONAL\"}", BinanceError.class);
        assertThat(e).isEqualTo(BinanceError.filterFailure("NOTIONAL"));
        assertThat(e.isFilterFailure()).isTrue();
        assertThat(e.filterType()).isEqualTo("NOTIONAL");
        assertThat(e.toString()).isEqualTo("-1013 Filter failure: NOTIONAL");
        assertThat(new ObjectMapper().writeValueAsString(e)).isEqualTo("{\"code\":-1013,\"msg\":\"Filter failure: NOTIONAL\"}");
    }

    @Test
    void classifiesTheCodesTheAdapterMustTreatSpecially() {
        assertThat(new BinanceError(BinanceError.TOO_MANY_ORDERS, "Too many new orders; current limit is 100 orders per 10 SECOND.")
                .isRateLimited()).isTrue();
        assertThat(new BinanceError(-1003, "Too much request weight used").isRateLimited()).isTrue();
        assertThat(new BinanceError(BinanceError.TIMEOUT, "Timeout waiting for response from backend server.")
                .isExecutionStatusUnknown()).isTrue();
        assertThat(new BinanceError(-1006, "An unexpected response was received").isExecutionStatusUnknown()).isTrue();
        BinanceError insufficient = BinanceError.newOrderRejected("Account has insufficient balance for requested action.");
        assertThat(insufficient.code()).isEqualTo(-2010);
        assertThat(insufficient.isFilterFailure()).isFalse();
        assertThat(insufficient.filterType()).isNull();
        assertThat(insufficient.isExecutionStatusUnknown()).isFalse();
        assertThat(BinanceError.invalidSymbol()).isEqualTo(new BinanceError(-1121, "Invalid symbol."));
        assertThat(BinanceError.badPrecision("quantity").msg()).isEqualTo("Parameter 'quantity' has too much precision.");
        assertThatThrownBy(() -> new BinanceError(-1, null)).isInstanceOf(NullPointerException.class);
    }
}
