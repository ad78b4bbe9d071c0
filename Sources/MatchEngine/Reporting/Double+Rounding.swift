extension Double {
    /// Rounded half away from zero to `places` decimals: `2.0449.rounded(toPlaces: 2)` is `2.04`.
    ///
    /// The one rounding of the package: reports store figures rounded this way (3 decimals for bits,
    /// 6 for rates) so their JSON is stable, and the text renderings round with it too.
    public func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
