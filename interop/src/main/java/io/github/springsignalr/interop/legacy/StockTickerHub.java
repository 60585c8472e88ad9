package io.github.springsignalr.interop.legacy;

import java.util.List;

import io.github.springsignalr.Hub;

/**
 * A hub named explicitly in the ASP.NET style ({@code [HubName("stockTicker")]}): the generated proxy
 * keeps the name verbatim ({@code $.connection.stockTicker}).
 */
@Hub(value = "/legacy-stocks", name = "stockTicker")
public class StockTickerHub {

	public List<String> GetAllStocks() {
		return List.of("MSFT", "ORCL");
	}
}
