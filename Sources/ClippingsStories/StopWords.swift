/// Words too common to say what an article is about, in the archive's languages (English and Norwegian),
/// folded as `StoryWords.fold` folds them. The archive's own document frequencies weigh every other word;
/// these are left out before, so that a small archive, whose frequencies say little yet, is not led by them.
enum StopWords {
    static let all: Set<String> = Set(
        """
        a about above after again against all also am an and any are as at be because been before being
        below between both but by can could did do does doing down during each few for from further had has
        have having he her here hers herself him himself his how i if in into is it its itself just me more
        most my myself no nor not now of off on once only or other our ours out over own said same say says
        she should so some such than that the their theirs them themselves then there these they this those
        through to too under until up very was we were what when where which while who whom why will with
        would you your yours yourself yourselves one two new according told last first year years since
        may might must shall us mr mrs ms per via like get got made make
        og i på er det som en et til av for med har de ikke at den var om fra ved jeg seg han hun vi dere
        sin sitt sine skal kan etter men eller så da når også være vært blir ble bli hadde nå der her dette
        disse noe noen alle andre annen mot under over mellom uten hvor hva hvem hvorfor hvordan inn ut opp
        ned sier sa sagt meg deg oss dem deres hans hennes mange mer mest bare enn ett én to år
        """.split(whereSeparator: \.isWhitespace).map { StoryWords.fold(String($0)) }
    )

    /// Capitalised words that name no one: days and months (English capitalises them), and words that
    /// open a dateline or a caption.
    static let notNames: Set<String> = Set(
        """
        monday tuesday wednesday thursday friday saturday sunday january february march april may june july
        august september october november december mandag tirsdag onsdag torsdag fredag lordag sondag januar
        februar mars mai juni juli desember oktober photo foto reuters ap ntb update updated read more
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    )
}
