import ClippingsExtraction
import Testing

/// Language identification on text written for these tests, beyond the seeds' English and Norwegian.
@Suite("Languages beyond the seeds")
struct LanguageVariantTests {
    @Test("languages of the EU and Indonesian/Malay, by their function words; und when unsure")
    func moreLanguages() {
        let samples: [(String, String)] = [
            (
                "id",
                "Pemerintah mengatakan bahwa rencana tersebut akan dibahas lagi karena banyak warga yang tidak setuju dengan kebijakan itu, dan mereka bisa mengajukan keberatan setelah rapat."
            ),
            (
                "pl",
                "Rząd poinformował, że plan zostanie ponownie omówiony, ponieważ wielu mieszkańców nie zgadza się z tą polityką, a także że decyzja jest jeszcze przed nami."
            ),
            (
                "cs",
                "Vláda uvedla, že plán bude znovu projednán, protože mnoho obyvatel s tím nesouhlasí, a také že rozhodnutí podle ministra není konečné a bude ještě změněno."
            ),
            (
                "fi",
                "Hallitus kertoi, että suunnitelma käsitellään uudelleen, koska monet asukkaat eivät ole samaa mieltä, ja että päätös on vielä auki mutta se tehdään kuitenkin pian."
            ),
            (
                "hu",
                "A kormány szerint a tervet újra megvitatják, mert sok lakos nem ért egyet vele, és a döntés még nem végleges, de már csak néhány hét van hátra."
            ),
            (
                "ro",
                "Guvernul a anunțat că planul va fi discutat din nou, pentru că mulți locuitori nu sunt de acord cu această politică, iar decizia nu este încă finală."
            ),
            (
                "el",
                "Η κυβέρνηση ανακοίνωσε ότι το σχέδιο θα συζητηθεί ξανά, επειδή πολλοί κάτοικοι διαφωνούν με την πολιτική αυτή."
            ),
            (
                "bg",
                "Правителството съобщи, че планът ще бъде обсъден отново, тъй като много жители не са съгласни с тази политика, и че решението още не е окончателно."
            ),
            (
                "nl",
                "De regering zei dat het plan opnieuw zal worden besproken, omdat veel inwoners het niet eens zijn met het beleid, maar een besluit is er nog niet."
            ),
            (
                "ms",
                "Kerajaan berkata bahawa rancangan itu akan dibincangkan semula kerana ramai penduduk tidak bersetuju dengan dasar tersebut, dan mereka boleh membuat bantahan selepas mesyuarat daripada majlis."
            ),
            (
                "sk",
                "Vláda uviedla, že plán bude znova prerokovaný, pretože mnoho obyvateľov s tým nesúhlasí, a tiež že rozhodnutie podľa ministra nie je konečné a bude sa ešte meniť."
            ),
            (
                "sl",
                "Vlada je sporočila, da bo načrt ponovno obravnavan, ker se mnogi prebivalci ne strinjajo, in da odločitev še ni dokončna, kar je potrdil tudi minister."
            ),
            (
                "hr",
                "Vlada je priopćila da će se plan ponovno razmotriti jer se mnogi stanovnici ne slažu s tom politikom, a odluka još nije konačna prema riječima ministra."
            ),
            (
                "et",
                "Valitsus teatas, et kava arutatakse uuesti, sest paljud elanikud ei ole sellega nõus, ja otsus ei ole veel lõplik, kuid see tehakse siiski peagi."
            ),
            (
                "lv",
                "Valdība paziņoja, ka plāns tiks apspriests vēlreiz, jo daudzi iedzīvotāji tam nepiekrīt, un lēmums vēl nav galīgs, bet tas tiks pieņemts drīz."
            ),
            (
                "lt",
                "Vyriausybė pranešė, kad planas bus svarstomas dar kartą, nes daug gyventojų su juo nesutinka, ir sprendimas dar nėra galutinis, tačiau jis bus priimtas netrukus."
            ),
            (
                "ga",
                "Dúirt an rialtas go bhfuil an plean le plé arís mar nach bhfuil a lán daoine sásta leis, agus níl an cinneadh deiridh déanta fós ach beidh sé ann go luath."
            ),
            (
                "mt",
                "Il-gvern qal li l-pjan se jiġi diskuss mill-ġdid għax ħafna residenti ma jaqblux miegħu, u d-deċiżjoni għadha mhix finali iżda se tittieħed wara l-laqgħa."
            ),
            (
                "sv",
                "Regeringen sa att planen ska diskuteras igen eftersom många invånare inte håller med, och att beslutet ännu inte är slutgiltigt enligt ministern."
            ),
            (
                "de",
                "Die Regierung sagte, dass der Plan noch einmal beraten wird, weil viele Einwohner nicht einverstanden sind, und die Entscheidung ist noch nicht endgültig."
            ),
            (
                "fr",
                "Le gouvernement a déclaré que le plan sera de nouveau discuté, car de nombreux habitants ne sont pas d'accord avec cette politique, et la décision n'est pas encore prise."
            ),
            (
                "es",
                "El gobierno dijo que el plan será discutido de nuevo, porque muchos vecinos no están de acuerdo con esta política, y que la decisión todavía no es definitiva."
            ),
            (
                "it",
                "Il governo ha detto che il piano sarà discusso di nuovo, perché molti abitanti non sono d'accordo con questa politica, e la decisione non è ancora definitiva."
            ),
            (
                "pt",
                "O governo disse que o plano será discutido novamente, porque muitos moradores não concordam com a política, e a decisão ainda não é definitiva para o ministro."
            ),
            (
                "ru",
                "Правительство сообщило, что план будет обсуждаться снова, потому что многие жители не согласны с этой политикой, и что решение ещё не принято."
            ),
            (
                "uk",
                "Уряд повідомив, що план буде обговорюватися знову, тому що багато мешканців не згодні з цією політикою, і що рішення ще не ухвалене."
            ),
        ]
        for (code, text) in samples {
            #expect(LanguageIdentifier.identify(text) == code, "\(code)")
        }
        #expect(LanguageIdentifier.identify("Operation Dark Room") == "und")
        // A declared language settles what the text cannot; it does not overrule a clear verdict.
        #expect(LanguageIdentifier.identify("Operation Dark Room", declared: "de-DE") == "de")
        #expect(
            LanguageIdentifier.identify(
                "Politiet sier at mennene ble pågrepet i byen på mandag, og at de ikke er løslatt.",
                declared: "en-US"
            ) == "no"
        )
    }
}
