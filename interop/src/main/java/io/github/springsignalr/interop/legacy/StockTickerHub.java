package io.github.springsignalr.interop.legacy;

import java.util.List;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import reactor.core.publisher.Mono;

/**
 * A hub named explicitly in the ASP.NET style ({@code [HubName("stockTicker")]}): the generated proxy
 * keeps the name verbatim ({@code $.connection.stockTicker}).
 */
@Hub(value = "/legacy-stocks", name = "stockTicker")
public class StockTickerHub {

	/** Client method of the price broadcasts. */
	public static final String UPDATE_STOCK_PRICE = "updateStockPrice";

	public List<String> GetAllStocks() {
		return List.of("MSFT", "ORCL");
	}

	/** Sends {@code updateStockPrice(symbol, price)} to every connection of this hub. */
	public Mono<Void> BroadcastPrice(String symbol, double price, HubCallerClients clients) {
		return clients.all().send(UPDATE_STOCK_PRICE, symbol, price);
	}
}
