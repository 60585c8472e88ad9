package io.github.springsignalr.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassWriter;

import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubMethodName;
import io.github.springsignalr.hub.HubDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated jQuery hub proxy script of {@code /signalr/hubs}: what a page using the ASP.NET SignalR 2
 * client gets as {@code $.connection.<hub>}.
 */
class HubProxyScriptTests {

	private static final String CHAT_HUB_BLOCK = """
			proxies['chatHub'] = this.createHubProxy('chatHub'); \n\
			        proxies['chatHub'].client = { };
			        proxies['chatHub'].server = {
			            add: function (a, b) {
			                return proxies['chatHub'].invoke.apply(proxies['chatHub'], $.merge(["Add"], $.makeArray(arguments)));
			             },

			            echo: function (message) {
			                return proxies['chatHub'].invoke.apply(proxies['chatHub'], $.merge(["Echo"], $.makeArray(arguments)));
			             },

			            send: function (name, message) {
			                return proxies['chatHub'].invoke.apply(proxies['chatHub'], $.merge(["Send"], $.makeArray(arguments)));
			             },

			            ShoutIt: function (text) {
			                return proxies['chatHub'].invoke.apply(proxies['chatHub'], $.merge(["ShoutIt"], $.makeArray(arguments)));
			             }
			        };""";

	@Test
	void writesOneCamelCasedProxyPerHubWithItsMethodsSortedByName() {
		String script = new HubProxyScript(Map.of("ChatHub", HubDescriptor.of(ChatHub.class))).render("/signalr");

		assertThat(script).contains(CHAT_HUB_BLOCK);
		assertThat(script).contains("proxies['chatHub'] = this.createHubProxy('chatHub');");
		assertThat(script).contains("echo: function (message) {");
		assertThat(script).contains("$.merge([\"Echo\"], $.makeArray(arguments))");
	}

	@Test
	void leavesFrameworkSuppliedParametersOutOfTheParameterList() {
		String script = new HubProxyScript(Map.of("ChatHub", HubDescriptor.of(ChatHub.class))).render("/signalr");

		assertThat(script).contains("send: function (name, message) {");
	}

	@Test
	void writesExplicitHubAndMethodNamesVerbatimAndCamelCasesTheOthers() {
		String script = new HubProxyScript(Map.of("stockTicker", HubDescriptor.of(StockTickerHub.class),
				"ChatHub", HubDescriptor.of(ChatHub.class))).render("/signalr");

		assertThat(script).contains("proxies['stockTicker'] = this.createHubProxy('stockTicker');");
		assertThat(script).contains("getAllStocks: function () {");
		assertThat(script).contains("$.merge([\"GetAllStocks\"], $.makeArray(arguments))");
		assertThat(script).contains("ShoutIt: function (text) {");
	}

	@Test
	void listsHubsSortedByNameSeparatedBySemicolons() {
		String script = new HubProxyScript(Map.of("stockTicker", HubDescriptor.of(StockTickerHub.class),
				"ChatHub", HubDescriptor.of(ChatHub.class))).render("/signalr");

		assertThat(script.indexOf("proxies['chatHub'] =")).isLessThan(script.indexOf("proxies['stockTicker'] ="));
		assertThat(script).contains("        };\n\n    proxies['stockTicker'] =");
		assertThat(script).containsOnlyOnce("return proxies;");
		assertThat(script).contains("             }\n        };\n\n        return proxies;");
	}

	@Test
	void connectsToTheServiceUrlWithoutTheDefaultPath() {
		String script = new HubProxyScript(Map.of()).render("/app/signalr");

		assertThat(script).contains("signalR.hub = $.hubConnection(\"/app/signalr\", { useDefaultPath: false });");
		assertThat(script).contains("$.extend(signalR, signalR.hub.createHubProxies());");
		assertThat(script).doesNotContain("proxies['");
	}

	@Test
	void failsClearlyWhenTheSignalRClientIsNotLoaded() {
		String script = new HubProxyScript(Map.of()).render("/signalr");

		assertThat(script).contains("if (typeof ($.signalR) !== \"function\") {");
		assertThat(script).contains("throw new Error(\"SignalR: SignalR is not loaded. Please ensure "
				+ "jquery.signalR-x.js is referenced before ~/signalr/js.\");");
	}

	@Test
	void subscribesClientFunctionsOnStartingAndUnsubscribesOnDisconnected() {
		String script = new HubProxyScript(Map.of()).render("/signalr");

		assertThat(script).contains("$.hubConnection.prototype.createHubProxies = function () {");
		assertThat(script).contains("this.starting(function () {");
		assertThat(script).contains("toggleClientMethods(proxies, true);\n            this._registerSubscribedHubs();");
		assertThat(script).contains("}).disconnected(function () {");
		assertThat(script).contains("toggleClientMethods(proxies, false);");
		assertThat(script).contains("proxy.on(methodName, clientCallback(proxy, handler), handler);");
		assertThat(script).contains("proxy.off(methodName, clientCallback(proxy, handler), handler);");
	}

	@Test
	void escapesNamesForTheJavaScriptStringsTheySitIn() {
		String script = new HubProxyScript(Map.of("it's</script>", HubDescriptor.of(StockTickerHub.class)))
			.render("/a\"b\\c\u2028");

		assertThat(script).contains("proxies['it\\'s\\u003c/script\\u003e'] = this.createHubProxy("
				+ "'it\\'s\\u003c/script\\u003e');");
		assertThat(script).contains("$.hubConnection(\"/a\\\"b\\\\c\\u2028\", { useDefaultPath: false })");
		assertThat(script).doesNotContain("</script>");
	}

	@Test
	void quotesMethodNamesThatAreNotIdentifiersAndRenamesReservedParameters() {
		String script = new HubProxyScript(Map.of("odd", HubDescriptor.of(OddNamesHub.class))).render("/signalr");

		assertThat(script).contains("'do-it': function (text) {");
		assertThat(script).contains("$.merge([\"do-it\"], $.makeArray(arguments))");
		assertThat(script).contains("remove: function (arg0, arg1) {");
	}

	@Test
	void namesParametersFromTheClassFileWhenAnAgentDroppedThemFromTheLoadedClass() throws Exception {
		Class<?> rewritten = new ParameterNamesDroppingLoader(getClass().getClassLoader())
			.loadClass(ChatHub.class.getName());
		assertThat(rewritten.getMethod("Echo", String.class).getParameters()[0].isNamePresent()).isFalse();

		String script = new HubProxyScript(Map.of("ChatHub", HubDescriptor.of(rewritten))).render("/signalr");

		assertThat(script).contains("echo: function (message) {");
		assertThat(script).contains("send: function (name, message) {");
	}

	@Test
	void camelCasesTheFirstLetterOfEachDottedPart() {
		assertThat(HubProxyScript.camelCase("ChatHub")).isEqualTo("chatHub");
		assertThat(HubProxyScript.camelCase("Admin.ChatHub")).isEqualTo("admin.chatHub");
		assertThat(HubProxyScript.camelCase("URL")).isEqualTo("uRL");
		assertThat(HubProxyScript.camelCase("")).isEmpty();
	}

	/** A hub known by its class name, with methods named as ASP.NET hubs name them. */
	static class ChatHub {

		public String Echo(String message) {
			return message;
		}

		public void Send(String name, String message, HubCallerContext context, Principal user) {
		}

		public int Add(int a, int b) {
			return a + b;
		}

		@HubMethodName("ShoutIt")
		public String shout(String text) {
			return text;
		}
	}

	/** A hub whose name is given explicitly. */
	@io.github.springsignalr.Hub(path = "/stocks", name = "stockTicker")
	static class StockTickerHub {

		public String[] GetAllStocks() {
			return new String[0];
		}
	}

	/** Names that are not plain JavaScript identifiers. */
	@io.github.springsignalr.Hub(path = "/odd", name = "odd")
	static class OddNamesHub {

		@HubMethodName("do-it")
		public String doIt(String text) {
			return text;
		}

		public void remove(String function, String in) {
		}
	}

	/**
	 * Loads one class itself from its class file without the MethodParameters attribute, as a
	 * bytecode-rewriting agent (Jazzer's, for one) does; everything else comes from the parent.
	 */
	static final class ParameterNamesDroppingLoader extends ClassLoader {

		ParameterNamesDroppingLoader(ClassLoader parent) {
			super(parent);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (!name.equals(ChatHub.class.getName())) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded != null) {
					return loaded;
				}
				try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
					ClassWriter writer = new ClassWriter(0);
					new ClassReader(in).accept(writer, ClassReader.SKIP_DEBUG);
					byte[] bytes = writer.toByteArray();
					return defineClass(name, bytes, 0, bytes.length);
				}
				catch (IOException ex) {
					throw new ClassNotFoundException(name, ex);
				}
			}
		}
	}
}
