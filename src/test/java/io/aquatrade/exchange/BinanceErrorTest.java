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

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "-1000|An unknown error occurred while processing the request.|LOOK_UP",
            "-1001|Internal error; unable to process your request. Please try again.|RETRY",
            "-1002|You are not authorized to execute this request.|HALT",
            "-1003|Too much request weight used; current limit is 6000 request weight per 1 MINUTE.|RETRY",
            "-1006|An unexpected response was received from the message bus. Execution status unknown.|LOOK_UP",
            "-1007|Timeout waiting for response from backend server. Send status unknown; execution status unknown.|LOOK_UP",
            "-1008|Server is currently overloaded with other requests. Please try again in a few minutes.|RETRY",
            "-1013|Filter failure: LOT_SIZE|DROP",
            "-1013|Invalid quantity.|DROP",
            "-1014|Unsupported order combination.|DROP",
            "-1015|Too many new orders; current limit is 100 orders per 10 SECOND.|RETRY",
            "-1016|This service is no longer available.|RETRY",
            "-1020|This operation is not supported.|DROP",
            "-1021|Timestamp for this request is outside of the recvWindow.|RETRY",
            "-1022|Signature for this request is not valid.|HALT",
            "-1099|Not found, unauthenticated, or unauthorized.|HALT",
            "-1100|Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.|DROP",
            "-1102|Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.|DROP",
            "-1111|Parameter 'quantity' has too much precision.|DROP",
            "-1121|Invalid symbol.|DROP",
            "-1131|recvWindow must be less than 60000|DROP",
            "-2010|Account has insufficient balance for requested action.|DROP",
            "-2010|Market is closed.|DROP",
            "-2010|Order would immediately match and take.|DROP",
            "-2010|Duplicate order sent.|LOOK_UP",
            "-2010|This action is disabled on this account.|HALT",
            "-2010|Rest API trading is not enabled.|HALT",
            "-2010|This account may not place or cancel orders.|HALT",
            "-2011|Unknown order sent.|LOOK_UP",
            "-2013|Order does not exist.|DROP",
            "-2014|API-key format invalid.|HALT",
            "-2015|Invalid API-key, IP, or permissions for action.|HALT",
            "-2026|Order was canceled or expired with no executed qty over 90 days ago and has been archived.|DROP",
            "-9999|a code Binance has not documented|DROP"})
    void everyOrderErrorCodeMapsToItsOutcome(int code, String msg, BinanceError.OrderOutcome outcome) {
        assertThat(new BinanceError(code, msg).orderOutcome()).isEqualTo(outcome);
    }
}
