// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "BareServer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: [])
    ],
    targets: [
        .executableTarget(name: "BareServer", dependencies: [.product(name: "Hummingbird", package: "hummingbird")])
    ]
)
