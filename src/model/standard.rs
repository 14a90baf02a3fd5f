//! The two standard frameworks every new project starts with.

use super::framework::{Element, Framework};
use super::ids::{ElementId, FrameworkId};

/// Id of the "BPF 2019 key elements" framework.
pub const KEY_ELEMENTS_FRAMEWORK: &str = "bpf2019-key-elements";
/// Id of the "UNGGE 2015 norms" framework.
pub const UNGGE_NORMS_FRAMEWORK: &str = "ungge2015-norms";

/// (id, name, definition) in the column order of the 2019 report's tables;
/// definitions are the report's own (section III.d).
const KEY_ELEMENTS: [(&str, &str, &str); 10] = [
    (
        "ke-multistakeholderism",
        "Further multi-stakeholderism",
        "Identifies or supports that cybersecurity depends on the presence in debate and coordination of all stakeholder groups.",
    ),
    (
        "ke-vulnerability-equities",
        "Vulnerability equities processes",
        "The realization that stockpiling of vulnerabilities may reduce overall cybersecurity, and processes that help identify the appropriate course of action for a government when it identifies a vulnerability.",
    ),
    (
        "ke-responsible-disclosure",
        "Responsible disclosure",
        "The need to coordinate disclosure of security issues between all stakeholders, including the finder, vendor and affected parties.",
    ),
    (
        "ke-international-law",
        "Reference to International Law",
        "Whether the agreement mentions the importance of international law, or commits the signatories' behavior to international law.",
    ),
    (
        "ke-def-cyber-threats",
        "Definition of Cyber threats",
        "Whether the agreement proposes a clear or aligned definition of cyber threats.",
    ),
    (
        "ke-def-cyberattacks",
        "Definition of Cyberattacks",
        "Whether the agreement proposes a clear or aligned definition of cyber attacks.",
    ),
    (
        "ke-capacity-building",
        "Reference to Capacity Building",
        "Whether the agreement makes specific references to Capacity Building as a needed step to improve cybersecurity capability.",
    ),
    (
        "ke-cbms",
        "Specified CBMs",
        "Whether the agreement describes or recommends specific Confidence Building Measures.",
    ),
    (
        "ke-human-rights",
        "Reference to Human Rights",
        "Whether the agreement reflects on the importance of human rights online.",
    ),
    (
        "ke-content-restrictions",
        "References to content restrictions",
        "Whether the agreement discusses the need for content restrictions online.",
    ),
];

/// (letter, short title, paraphrase) of the voluntary norms in paragraph 13 of A/70/174.
const UNGGE_NORMS: [(char, &str, &str); 11] = [
    (
        'a',
        "Cooperate for stability and security",
        "States work together, in line with the purposes of the UN, on measures that make the use of ICTs more stable and secure and that keep harmful ICT practices from threatening peace and security.",
    ),
    (
        'b',
        "Consider all information about incidents",
        "When an ICT incident happens, States weigh all the relevant information, including its wider context, the difficulty of attribution, and the nature and scale of its consequences.",
    ),
    (
        'c',
        "Do not allow territory to be used for wrongful acts",
        "States do not knowingly let their territory be used for internationally wrongful acts carried out with ICTs.",
    ),
    (
        'd',
        "Cooperate against criminal and terrorist use",
        "States look at how best to cooperate: exchange information, help each other, prosecute terrorist and criminal use of ICTs, and take other joint measures against such threats.",
    ),
    (
        'e',
        "Respect human rights and privacy",
        "In securing the use of ICTs, States respect the Human Rights Council and General Assembly resolutions on human rights on the Internet and on privacy in the digital age, including freedom of expression.",
    ),
    (
        'f',
        "Do not damage critical infrastructure",
        "States do not conduct or knowingly support ICT activity, contrary to their obligations under international law, that intentionally damages critical infrastructure or impairs the services it gives the public.",
    ),
    (
        'g',
        "Protect critical infrastructure",
        "States take appropriate measures to protect their own critical infrastructure from ICT threats, mindful of the UN resolution on a global culture of cybersecurity.",
    ),
    (
        'h',
        "Respond to requests for assistance",
        "States answer appropriate requests for help from another State whose critical infrastructure is under malicious ICT attack, and requests to mitigate malicious ICT activity coming from their territory.",
    ),
    (
        'i',
        "Supply-chain integrity; stop proliferation",
        "States take reasonable steps to keep the ICT supply chain trustworthy so end users can rely on products, and try to prevent the spread of malicious ICT tools, techniques and hidden harmful functions.",
    ),
    (
        'j',
        "Encourage responsible vulnerability reporting",
        "States encourage responsible reporting of ICT vulnerabilities and share what they know about remedies, to limit or remove threats to ICTs and the infrastructure that depends on them.",
    ),
    (
        'k',
        "Do not harm emergency response teams",
        "States do not conduct or knowingly support activity that harms another State's authorised emergency response teams (CERTs/CSIRTs), and do not use their own teams for malicious international activity.",
    ),
];

/// The ten key elements of the BPF Cybersecurity 2019 report.
pub fn key_elements_framework() -> Framework {
    Framework {
        id: FrameworkId::new(KEY_ELEMENTS_FRAMEWORK),
        name: "BPF 2019 key elements".to_owned(),
        description: "Horizontal elements found across cybersecurity agreements (IGF BPF Cybersecurity 2019 output report, section III.d).".to_owned(),
        elements: KEY_ELEMENTS
            .iter()
            .map(|(id, name, definition)| Element {
                id: ElementId::new(*id),
                label: String::new(),
                name: (*name).to_owned(),
                definition: (*definition).to_owned(),
            })
            .collect(),
    }
}

/// The eleven voluntary norms (a)–(k) of the 2015 UNGGE report, paragraph 13.
pub fn ungge_norms_framework() -> Framework {
    Framework {
        id: FrameworkId::new(UNGGE_NORMS_FRAMEWORK),
        name: "UNGGE 2015 norms".to_owned(),
        description: "Voluntary, non-binding norms of responsible State behaviour, UN document A/70/174, paragraph 13 (a)–(k). Texts are paraphrases.".to_owned(),
        elements: UNGGE_NORMS
            .iter()
            .map(|(letter, title, paraphrase)| Element {
                id: ungge_norm_id(*letter),
                label: format!("({letter})"),
                name: (*title).to_owned(),
                definition: (*paraphrase).to_owned(),
            })
            .collect(),
    }
}

/// Id of UNGGE 2015 norm 13 (`letter`), e.g. `ungge-13f`.
pub fn ungge_norm_id(letter: char) -> ElementId {
    ElementId::new(format!("ungge-13{letter}"))
}
