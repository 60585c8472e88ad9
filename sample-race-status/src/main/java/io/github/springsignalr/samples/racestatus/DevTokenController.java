package io.github.springsignalr.samples.racestatus;

import java.time.Instant;
import java.util.Date;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Development tokens: {@code GET} or {@code POST /dev/token?sub=ada} answers a signed JWT (plain text)
 * for any name, so that the sample runs without an identity provider. It exists only with
 * {@code race.security.dev-tokens=true} (the {@code dev} profile); never turn it on where the hub
 * matters, since anyone can get a token.
 */
@RestController
@ConditionalOnBooleanProperty("race.security.dev-tokens")
public class DevTokenController {

	private final RaceSecurity.SigningKey key;

	private final RaceProperties properties;

	DevTokenController(RaceSecurity.SigningKey key, RaceProperties properties) {
		this.key = key;
		this.properties = properties;
	}

	/**
	 * Issues a token.
	 * @param subject the user the token names ({@code sub})
	 * @return the compact JWT
	 */
	@RequestMapping(path = "/dev/token", method = { RequestMethod.GET, RequestMethod.POST },
			produces = MediaType.TEXT_PLAIN_VALUE)
	public String token(@RequestParam(name = "sub", defaultValue = "race-fan") String subject) throws JOSEException {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("sample-race-status")
			.subject(subject)
			.claim("azp", "race-status-dev")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.properties.security().devTokenValidity())))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner(this.key.key()));
		return jwt.serialize();
	}
}
