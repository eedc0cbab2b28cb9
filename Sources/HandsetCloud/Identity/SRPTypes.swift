import HandsetSRP

// The SRP types the identity code uses, visible to every file of this module without importing HandsetSRP in each.
typealias SRPVerifier = HandsetSRP.SRPVerifier
typealias SRPServerSession = HandsetSRP.SRPServerSession
typealias SRPGroup = HandsetSRP.SRPGroup
