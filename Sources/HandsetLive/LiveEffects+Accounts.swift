import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetWire

/// The sign-in screen's account calls (sign-up, password reset) and the account screen's MFA.
extension LiveEffects {
    var accounts: AccountActions {
        let cognito = cognito
        var accounts = AccountActions(
            signUp: { username, email, password in
                do {
                    // An empty password is a passwordless account: the form allows it only where the pool does.
                    let (confirmed, destination) = try await cognito.signUp(
                        username: username, password: password.isEmpty ? nil : password, email: email)
                    return confirmed ? .signIn(.accountConfirmed) : .signIn(.codeSent(destination: destination))
                } catch {
                    return Self.accountFailure(error)
                }
            },
            confirmSignUp: { username, code in
                do {
                    try await cognito.confirmSignUp(username: username, code: code)
                    return .signIn(.accountConfirmed)
                } catch {
                    return Self.accountFailure(error)
                }
            },
            forgotPassword: { username in
                do {
                    return .signIn(.codeSent(destination: try await cognito.forgotPassword(username: username)))
                } catch {
                    return Self.accountFailure(error)
                }
            },
            resetPassword: { username, code, newPassword in
                do {
                    try await cognito.confirmForgotPassword(username: username, code: code, newPassword: newPassword)
                    return .signIn(.passwordWasReset)
                } catch {
                    return Self.accountFailure(error)
                }
            })
        let session = session
        accounts.mfaSettings = {
            await mfaCall { .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: $0))) }
        }
        accounts.startTOTP = {
            await mfaCall { access in
                let secret = try await cognito.associateSoftwareToken(accessToken: access)
                let account = await session.current?.user?.username ?? "user"
                return .account(
                    .totpSetupStarted(secret: secret, uri: AuthenticatorURI.totp(secret: secret, account: account)))
            }
        }
        accounts.verifyTOTP = { code in
            await mfaCall { access in
                try await cognito.verifyAndPreferSoftwareToken(accessToken: access, code: code)
                return .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: access)))
            }
        }
        accounts.disableTOTP = {
            await mfaCall { access in
                try await cognito.setSoftwareTokenMFA(accessToken: access, enabled: false)
                return .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: access)))
            }
        }
        let devices = devices
        accounts.devices = {
            await mfaCall { access in
                .account(.devicesLoaded(try await Self.accountDevices(cognito, access, session, devices)))
            }
        }
        accounts.forgetDevice = { key in
            await mfaCall { access in
                try await cognito.forgetDevice(accessToken: access, deviceKey: key)
                if let username = await session.current?.user?.username,
                    devices?.device(for: username)?.deviceKey == key
                {
                    devices?.forget(for: username)
                }
                return .account(
                    .devicesLoaded(
                        try await Self.accountDevices(cognito, access, session, devices),
                        note: "Device forgotten: its next sign-in asks for the code"))
            }
        }
        return accounts
    }

    private static func accountDevices(
        _ cognito: CognitoClient, _ access: String, _ session: SessionManager,
        _ store: (any RememberedDeviceStore)?
    ) async throws -> [AccountDevice] {
        let this = await session.current?.user.flatMap { store?.device(for: $0.username)?.deviceKey }
        return try await cognito.listDevices(accessToken: access).map {
            AccountDevice(key: $0.key, name: $0.name, remembered: $0.remembered, isThisDevice: $0.key == this)
        }
    }

    /// A call with a valid access token (refreshed first if due), its failures in the account screen's words.
    private func mfaCall(_ body: (String) async throws -> AppEvent) async -> AppEvent {
        do {
            return try await body(try await session.validToken(.access))
        } catch RemoteError.sessionExpired {
            return .account(.sessionExpired)
        } catch {
            let remote = RemoteError.from(error)
            if case .offline = remote {
                return .account(.mfaFailed("\(remote.message); MFA settings need the cloud"))
            }
            return .account(.mfaFailed(remote.message))
        }
    }

    private static func accountFailure(_ error: any Error) -> AppEvent {
        let remote = RemoteError.from(error)
        if case .offline(let detail) = remote { return .signIn(.stepFailed("Offline: \(detail)")) }
        return .signIn(.stepFailed(remote.message))
    }
}
