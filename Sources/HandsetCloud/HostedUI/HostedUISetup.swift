import Foundation
import HandsetCloudStorage
import Hummingbird

/// Wires managed login into the router: the authorization server's endpoints and the hosted pages, on the
/// cloud's own address (Cognito serves them on the pool's domain).
enum HostedUISetup {
    static func addRoutes(
        to router: Router<CloudRequestContext>, pool: UserPool, stores: HostedUIStores, address: ServerAddress,
        http: any UpstreamHTTP = URLSessionUpstreamHTTP()
    ) throws {
        let authentication = AuthenticationService(pool: pool)
        let oauth = OAuthService(
            pool: pool, authentication: authentication, codes: stores.codes, signIns: stores.signIns,
            devices: stores.devices, verificationURI: { address.publicBaseURL + "/device" })
        let federation = FederationService(
            pool: pool, requests: stores.federation, identities: stores.identities,
            directory: OIDCProviderDirectory(http: http, now: pool.now), http: http,
            callbackURI: { address.publicBaseURL + "/oauth2/idpresponse" })
        OAuthController(service: oauth).addRoutes(to: router)
        HostedUIController(
            pool: pool, authentication: authentication, accounts: AccountService(pool: pool),
            mfa: MFAService(pool: pool), oauth: oauth, federation: federation, sessions: stores.sessions,
            devices: stores.devices, pages: try HostedPages(poolName: pool.configuration.name),
            secure: { address.publicBaseURL.hasPrefix("https://") }
        ).addRoutes(to: router)
    }

    /// Cognito's configuration operations (app clients, domain, pool, identity providers, provider links).
    static func configurationOperations(pool: UserPool, stores: HostedUIStores) -> [CognitoOperation] {
        PoolConfigurationService(
            pool: pool, identityProviders: IdentityProviderService(pool: pool, identities: stores.identities)
        ).operations
    }
}
