/// The function words each language's running text is made of: the evidence `LanguageIdentifier` counts.
///
/// Each list holds a language's commonest short words (articles, pronouns, prepositions, conjunctions,
/// auxiliaries). Close relatives (bokmål and Danish, Czech and Slovak, Indonesian and Malay) share
/// most of theirs; the words only one of them uses decide between them.
enum LanguageProfiles {
    static let latin: [String: [String]] = [
        "en": """
        the of and to in is that for it was on with as by at from have has be are were this which an or not \
        said they their his her been who would will about also into than there what when where after other \
        some had its our we you she he them these those could should more most such while being because
        """.split(separator: " ").map(String.init),
        "no": """
        og ikke det er som en et på av for til med har de den om var fra han hun seg å skal ble kan etter \
        også sier mot eller men ved så vi jeg hos hadde være blitt dette disse mellom hvor ifølge noen hva \
        bare mye nå fordi deres hele skriver enn blir hvordan kunne vært mange andre selv sin sine i at må \
        fikk gjennom kanskje hvis siden mener hennes ham dem oss meg ingen alle denne slik både mens uten \
        fram frem her der ut opp sa kommer ikkje eg dei kva korleis ho frå vere vart berre mykje òg blei \
        noko nokre sjølv seier hvilke fått sammen
        """.split(separator: " ").map(String.init),
        "da": """
        og ikke det er som en et på af for til med har de den om var fra han hun sig at skal blev kan efter \
        også siger mod eller men ved så vi jeg hos havde være blevet dette disse mellem hvor ifølge nogle \
        hvad kun meget nu fordi deres hele end bliver hvordan kunne været mange andre selv sin sine i fik \
        gennem måske hvis siden mener hende ham dem os mig ingen alle denne sådan både mens uden frem her \
        der ud op sagde kommer nogen fået sammen hvilke lidt
        """.split(separator: " ").map(String.init),
        "sv": """
        och inte det är som en ett på av för till med har de den om var från han hon sig att ska blev kan \
        efter också säger mot eller men vid så vi jag hos hade vara blivit detta dessa mellan där enligt \
        några vad bara mycket nu eftersom deras hela än blir hur kunde varit många andra själv sina i fick \
        genom kanske sedan menar henne honom dem oss mig ingen alla denna sådan både medan utan fram här
        """.split(separator: " ").map(String.init),
        "de": """
        der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden \
        aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur \
        oder aber vor zur bis mehr durch man
        """.split(separator: " ").map(String.init),
        "nl": """
        de van het een en in is dat op te zijn met voor niet aan er om ook als dan maar bij of uit nog \
        worden door naar heeft tot ze wordt over hij wel werd zich deze die meer was kan
        """.split(separator: " ").map(String.init),
        "fr": """
        le la les de des du et en un une est que qui dans pour pas sur au aux avec ce il elle par plus son \
        sa ses ont été mais ou où comme leur nous vous cette sont être selon aussi
        """.split(separator: " ").map(String.init),
        "es": """
        el la los las de del y en un una es que por con para no se su sus al lo como más pero fue ha han \
        sobre este esta entre cuando también según son está desde donde muy sin
        """.split(separator: " ").map(String.init),
        "it": """
        il lo la gli le di del della e in un una è che per non con su da dei delle al alla sono ha anche \
        come più ma questo questa nel nella stato secondo essere tra dopo
        """.split(separator: " ").map(String.init),
        "pt": """
        o a os as de do da dos das e em um uma é que para com não por se no na mais como mas foi ao seu sua \
        também são está entre quando segundo pelo pela ser ou já
        """.split(separator: " ").map(String.init),
        "ro": """
        și şi în de la a cu nu pe că din un o este sunt pentru care mai ca se al ale lui fost au dar sau după \
        despre fi prin acest această foarte doar fiind acum unde cum
        """.split(separator: " ").map(String.init),
        "cs": """
        a je se na v že to s z do o ve jak by ale jsou k pro jsem jeho byl tak který která které také nebo \
        od po podle při už jen není bylo mezi za ze jako aby byla bude
        """.split(separator: " ").map(String.init),
        "sk": """
        a je sa na v že to s z do o vo ako by ale sú k pre som jeho bol tak ktorý ktorá ktoré aj alebo od \
        po podľa pri už len nie bolo medzi za zo aby bola bude tiež
        """.split(separator: " ").map(String.init),
        "pl": """
        i w na z że się nie do to jest o jak po co tak za od ale jego przez przy dla już czy być był była \
        było który która które także oraz jednak ze ich tym może tylko bardzo
        """.split(separator: " ").map(String.init),
        "sl": """
        in je na se da za v so pa ki po z s tudi bi ne ali kot še bo ga bil bila bilo iz do pri od ter \
        lahko samo že kar med vendar
        """.split(separator: " ").map(String.init),
        "hr": """
        i je u na se da za su od s koji koja koje kao iz ne to a ali će bi sa što ili do nije još samo kako \
        biti bio bila te prema godine također nakon
        """.split(separator: " ").map(String.init),
        "hu": """
        a az és hogy nem is egy meg van de volt csak már még ez azt mint ki el fel pedig vagy minden után \
        szerint amely aki lesz kell nagyon ha mert most sem olyan ezt között
        """.split(separator: " ").map(String.init),
        "fi": """
        ja on ei että se oli hän ovat mutta kun myös tai kuin joka jotka mitä sen niin vain ole olla jo nyt \
        sekä vielä kanssa mukaan jälkeen hänen tämä tämän siitä sitä koska voi ollut
        """.split(separator: " ").map(String.init),
        "et": """
        ja on ei et see ta oli ka kui mis ning aga või nii siis kes veel oma seda selle nagu ole pole mida \
        kus sest juba üle kõik olid kuid tema nad pärast ainult väga
        """.split(separator: " ").map(String.init),
        "lv": """
        un ir ka ar uz no par kas bet arī lai vai tas to tā bija viņš viņa tiek kā pēc jau vēl tikai kur \
        gan nav būs savu šo starp līdz kurš kura
        """.split(separator: " ").map(String.init),
        "lt": """
        ir kad su į iš yra tai o bet kaip ar jis ji jie buvo nuo dėl taip už po tik jau dar kur bus apie \
        savo kuris kuri kurie tačiau nes nėra per iki
        """.split(separator: " ").map(String.init),
        "ga": """
        agus an na is ar go le ag ach don sé sí siad bhí tá níl atá ina leis seo sin freisin mar faoi chun \
        ón nach gur ní beidh bhfuil aon
        """.split(separator: " ").map(String.init),
        "mt": """
        il u li ta fil tal għal ma minn dan din hija huwa kien kienet jew biex fuq wara bejn ukoll iżda \
        mill lill mal kif dawn hemm jkun qed
        """.split(separator: " ").map(String.init),
        "id": """
        yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke ada karena oleh sudah saya bisa \
        atau mereka kami kita telah tersebut lebih bahwa seperti namun hanya saat menjadi bagi setelah masih \
        banyak adalah jika harus
        """.split(separator: " ").map(String.init),
        "ms": """
        yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke ada kerana oleh sudah saya \
        boleh atau mereka kami kita telah tersebut lebih bahawa seperti namun hanya ketika menjadi bagi \
        selepas masih banyak adalah jika perlu daripada sebagai kepada
        """.split(separator: " ").map(String.init),
        "tr": """
        ve bir bu da de için ile çok ne daha gibi olarak kadar sonra ama en her olan değil var ya o ki mi \
        şu ancak tarafından göre
        """.split(separator: " ").map(String.init),
    ]

    static let cyrillic: [String: [String]] = [
        "ru": """
        и в не на что с по это как а но он она они к у из за от о так же для то был была было были который \
        которые ещё уже или бы его её их при также после может
        """.split(separator: " ").map(String.init),
        "uk": """
        і в не на що з до це як а але він вона вони у за від про так же для та був була було були який яка \
        які вже або б його її їх при також після може й
        """.split(separator: " ").map(String.init),
        "bg": """
        и на в да се за от не с е са че по това как но ще той тя те към при след има които който която \
        което беше бъде още със до му или най
        """.split(separator: " ").map(String.init),
    ]
}
