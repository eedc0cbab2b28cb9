import Foundation

/// A sign-in sent to a third-party identity provider, waiting for it to come back to `/oauth2/idpresponse`:
/// what the provider's answer must match (the `state`, the `nonce` in its ID token, the PKCE verifier of the code)
/// and what to do once the person is signed in.
package struct FederationRequest: Sendable, Equatable {
    /// SHA-256 (hex) of the `state` sent to the provider.
    package var stateHash: String
    package var provider: String
    package var nonce: String
    /// The PKCE verifier for the provider's token endpoint.
    package var codeVerifier: String
    /// The browser session that started it: the answer counts only in the same browser (no login CSRF).
    package var browserSessionHash: String
    /// Where the sign-in goes afterwards (`SignInContinuation.fields`, encoded); checked again when it comes back.
    package var continuationQuery: String
    package var createdAt: Date
    package var expiresAt: Date

    /// Time for a person to sign in at the provider.
    package static let lifetime: TimeInterval = 15 * 60

    package init(
        stateHash: String, provider: String, nonce: String, codeVerifier: String, browserSessionHash: String,
        continuationQuery: String, createdAt: Date, expiresAt: Date
    ) {
        self.stateHash = stateHash
        self.provider = provider
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.browserSessionHash = browserSessionHash
        self.continuationQuery = continuationQuery
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

package protocol FederationRequestRepository: Sendable {
    func create(_ request: FederationRequest) async throws
    /// Takes the request, once: of concurrent answers with the same state, exactly one gets it.
    func claim(stateHash: String, now: Date) async throws -> FederationRequest?
    func purge(before date: Date) async throws
}

/// A provider identity linked to a pool user: signing in through the provider as `providerUserId` signs in as
/// that user (the federated user `<Provider>_<sub>`, or an existing user linked by `AdminLinkProviderForUser`).
package struct LinkedIdentity: Sendable, Equatable {
    package var providerName: String
    package var providerType: String
    package var providerUserId: String
    package var sub: String
    package var linkedAt: Date

    package init(providerName: String, providerType: String, providerUserId: String, sub: String, linkedAt: Date) {
        self.providerName = providerName
        self.providerType = providerType
        self.providerUserId = providerUserId
        self.sub = sub
        self.linkedAt = linkedAt
    }
}

package protocol LinkedIdentityRepository: Sendable {
    /// The user a provider identity signs in as.
    func sub(providerName: String, providerUserId: String) async throws -> String?
    /// Links a provider identity; false when it is linked already (to anyone).
    func link(_ identity: LinkedIdentity) async throws -> Bool
    func identities(of sub: String) async throws -> [LinkedIdentity]
}
