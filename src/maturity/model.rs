//! The maturity model itself, as data: five dimensions × five stages, one
//! practice per cell (id `<dimension><stage>`), the five tracking criteria,
//! and every name and text in English and in the seed's Portuguese.
//!
//! The English practices are SPEC-maturity.md's table word for word; the
//! Portuguese ones are the seed's sentences, trimmed. The seed gives no
//! practice for stage 5, and its stage-4 content practice repeats stage 3,
//! so those six cells (`da5`, `mc4`, `mc5`, `pg5`, `mt5`, `tm5`) are derived
//! from its narrative (dynamic segmentation, content that follows the
//! engagement stage, account-centric marketing) and marked `derived`.
//! `action` is the practice worded as a thing to do, for next actions.

use serde::Serialize;

/// The language of names and texts (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Pt,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }

    /// Picks the text in this language.
    pub fn pick(self, en: &'static str, pt: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Pt => pt,
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub en: &'static str,
    pub pt: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.pt)
    }
}

const fn t(en: &'static str, pt: &'static str) -> Text {
    Text { en, pt }
}

/// One dimension of the model.
#[derive(Debug)]
pub struct Dimension {
    pub id: &'static str,
    pub name: Text,
}

pub static DIMENSIONS: [Dimension; 5] = [
    Dimension {
        id: "da",
        name: t("Data & Accounts", "Dados & Contas"),
    },
    Dimension {
        id: "mc",
        name: t("Messaging/Content", "Mensagens/Conteúdo"),
    },
    Dimension {
        id: "pg",
        name: t("Programs", "Programas"),
    },
    Dimension {
        id: "mt",
        name: t("Metrics", "Métricas"),
    },
    Dimension {
        id: "tm",
        name: t("Team", "Equipe"),
    },
];

/// Stage names, 0 (not started) to 5.
pub static STAGES: [Text; 6] = [
    t("Not started", "Não iniciado"),
    t("Aware", "Consciente"),
    t("Defining", "Definindo"),
    t("Early", "Inicial"),
    t("Mature", "Maduro"),
    t("Advanced", "Avançado"),
];

/// The name of stage `stage` (0..=5).
pub fn stage_name(stage: usize, lang: Lang) -> &'static str {
    STAGES[stage.min(5)].get(lang)
}

/// The seed's five tracking criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    AccountDefinition,
    Processes,
    StructureLeadership,
    Technology,
    Measurement,
}

pub static CRITERIA: [Criterion; 5] = [
    Criterion::AccountDefinition,
    Criterion::Processes,
    Criterion::StructureLeadership,
    Criterion::Technology,
    Criterion::Measurement,
];

impl Criterion {
    pub fn id(self) -> &'static str {
        match self {
            Criterion::AccountDefinition => "account_definition",
            Criterion::Processes => "processes",
            Criterion::StructureLeadership => "structure_and_leadership",
            Criterion::Technology => "technology",
            Criterion::Measurement => "measurement",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Criterion::AccountDefinition => lang.pick("Account definition", "Definição da conta"),
            Criterion::Processes => lang.pick("Processes", "Processos"),
            Criterion::StructureLeadership => {
                lang.pick("Structure and leadership", "Estrutura e liderança")
            }
            Criterion::Technology => lang.pick("Technology", "Tecnologia"),
            Criterion::Measurement => lang.pick("Measurement", "Mensuração"),
        }
    }
}

/// One cell of the grid: a practice at a stage of a dimension.
#[derive(Debug)]
pub struct Practice {
    pub id: &'static str,
    /// Index into [`DIMENSIONS`].
    pub dimension: usize,
    /// 1..=5.
    pub stage: usize,
    pub text: Text,
    /// The practice as a thing to do.
    pub action: Text,
    /// Derived from the seed's narrative rather than its stage lists.
    pub derived: bool,
}

impl Practice {
    pub fn dimension(&self) -> &'static Dimension {
        &DIMENSIONS[self.dimension]
    }
}

const fn p(
    id: &'static str,
    dimension: usize,
    stage: usize,
    text: Text,
    action: Text,
    derived: bool,
) -> Practice {
    Practice {
        id,
        dimension,
        stage,
        text,
        action,
        derived,
    }
}

/// The 25 practices, dimension by dimension, stage 1 to 5.
pub static PRACTICES: [Practice; 25] = [
    p(
        "da1",
        0,
        1,
        t(
            "account types and key traits identified",
            "Identificando que tipo de contas e características chaves fazem sentido para o negócio",
        ),
        t(
            "Identify the account types and key traits that make sense for the business",
            "Identificar que tipo de contas e características chaves fazem sentido para o negócio",
        ),
        false,
    ),
    p(
        "da2",
        0,
        2,
        t(
            "marketing + sales (+CS) select accounts jointly",
            "Seleção conjunta de contas entre marketing e vendas / suporte ao cliente / serviços",
        ),
        t(
            "Select the target accounts jointly: marketing with sales (and customer success, services)",
            "Selecionar as contas em conjunto entre marketing e vendas (e suporte ao cliente, serviços)",
        ),
        false,
    ),
    p(
        "da3",
        0,
        3,
        t(
            "predictive and/or intent data select accounts; contacts known at targets",
            "Utiliza modelos preditivos e / ou dados de intenção para selecionar contas; tem as informações de contato dos contatos diretos nas contas de destino",
        ),
        t(
            "Use predictive and/or intent data to select accounts, and know the contacts at the target accounts",
            "Utilizar modelos preditivos e / ou dados de intenção para selecionar contas, e conhecer os contatos diretos nas contas de destino",
        ),
        false,
    ),
    p(
        "da4",
        0,
        4,
        t(
            "mature selection, enrichment, hygiene; ABM for cross-sell, upsell, retention",
            "Processo maduro de seleção de conta, de enriquecimento e higiene de dados; MBC para vendas cruzadas, upsell, retenção",
        ),
        t(
            "Run a mature account selection, enrichment and data-hygiene process; use ABM for cross-sell, upsell and retention",
            "Amadurecer o processo de seleção de conta, de enriquecimento e higiene de dados; usar o MBC para vendas cruzadas, upsell e retenção",
        ),
        false,
    ),
    p(
        "da5",
        0,
        5,
        t(
            "list re-segments itself as engagement changes, refreshed weekly",
            "Segmentação de contas dinâmica (ajuste com base no engajamento), atualizada toda semana",
        ),
        t(
            "Let the list re-segment itself as engagement changes, refreshed every week",
            "Tornar a segmentação de contas dinâmica (ajuste com base no engajamento), atualizada toda semana",
        ),
        true,
    ),
    p(
        "mc1",
        1,
        1,
        t(
            "personas and content gaps identified",
            "Identificar personas e lacunas de conteúdo: há conteúdo relevante para todas as personas?",
        ),
        t(
            "Identify the personas and the content gaps",
            "Identificar personas e lacunas de conteúdo",
        ),
        false,
    ),
    p(
        "mc2",
        1,
        2,
        t(
            "content made/reworked for key buyers, more personalized",
            "Desenvolvendo / reorientando conteúdo para compradores chave, aumentando o grau de personalização",
        ),
        t(
            "Make or rework content for the key buyers, more personalized",
            "Desenvolver ou reorientar conteúdo para compradores chave, aumentando o grau de personalização",
        ),
        false,
    ),
    p(
        "mc3",
        1,
        3,
        t(
            "personalized content for every persona, on time",
            "Ter conteúdo para todas as personas que estejam personalizados e entregue no momento oportuno",
        ),
        t(
            "Have personalized content for every persona, delivered on time",
            "Ter conteúdo personalizado para todas as personas, entregue no momento oportuno",
        ),
        false,
    ),
    p(
        "mc4",
        1,
        4,
        t(
            "content follows each account's engagement stage",
            "Adaptação do conteúdo às etapas de engajamento de cada conta",
        ),
        t(
            "Make the content follow each account's engagement stage",
            "Adaptar o conteúdo às etapas de engajamento de cada conta",
        ),
        true,
    ),
    p(
        "mc5",
        1,
        5,
        t(
            "new account-specific content monthly per buying group",
            "A cada mês, novos conteúdos específicos para as contas, para cada grupo de tomadores de decisão",
        ),
        t(
            "Publish new account-specific content every month for each buying group",
            "Publicar a cada mês novos conteúdos específicos para as contas, para cada grupo de tomadores de decisão",
        ),
        true,
    ),
    p(
        "pg1",
        2,
        1,
        t(
            "best channels and programs identified",
            "Identificação de canais e programas ótimos",
        ),
        t(
            "Identify the best channels and programs",
            "Identificar os canais e programas ótimos",
        ),
        false,
    ),
    p(
        "pg2",
        2,
        2,
        t(
            "some digital programs running",
            "Utilizando alguns programas digitais e outros conceitos básicos do programa",
        ),
        t(
            "Run some digital programs",
            "Utilizar alguns programas digitais e outros conceitos básicos do programa",
        ),
        false,
    ),
    p(
        "pg3",
        2,
        3,
        t(
            "programs optimized per persona",
            "Execução de programas otimizados para diferentes personas (canal, etc.)",
        ),
        t(
            "Optimize the programs per persona (channel, etc.)",
            "Otimizar os programas para diferentes personas (canal, etc.)",
        ),
        false,
    ),
    p(
        "pg4",
        2,
        4,
        t(
            "digital + analog mix (web personalization, direct mail)",
            "Execução de um mix de programas digitais e analógicos (por exemplo, personalização da web e mala direta)",
        ),
        t(
            "Run a mix of digital and analog programs (web personalization, direct mail)",
            "Executar um mix de programas digitais e analógicos (por exemplo, personalização da web e mala direta)",
        ),
        false,
    ),
    p(
        "pg5",
        2,
        5,
        t(
            "same accounts worked for long periods across channels, whole buying cycle",
            "Segmentar as mesmas contas por longos períodos, em vários canais e pontos de contato, ao longo de todo o ciclo de compra",
        ),
        t(
            "Work the same accounts for long periods across channels, through the whole buying cycle",
            "Trabalhar as mesmas contas por longos períodos, em vários canais e pontos de contato, ao longo de todo o ciclo de compra",
        ),
        true,
    ),
    p(
        "mt1",
        3,
        1,
        t(
            "account activity trackable in CRM/MAP at every stage",
            "Garantir que se possa medir em cada estágio do ciclo de vida: a atividade da conta pode ser rastreada no CRM e na automação de marketing",
        ),
        t(
            "Make account activity trackable in the CRM and marketing automation at every stage",
            "Garantir que a atividade da conta possa ser rastreada no CRM e na automação de marketing em cada estágio do ciclo de vida",
        ),
        false,
    ),
    p(
        "mt2",
        3,
        2,
        t(
            "engagement per account, CTR, MQAs in Tier 1",
            "Rastreamento do engajamento (por conta) e outras métricas do programa, como taxa de cliques, LQMCs em contas alvo T1",
        ),
        t(
            "Track engagement per account, click-through rates and MQAs in Tier 1",
            "Rastrear o engajamento por conta e outras métricas do programa, como taxa de cliques e LQMCs em contas alvo T1",
        ),
        false,
    ),
    p(
        "mt3",
        3,
        3,
        t(
            "meetings with the right people, velocity, opportunities at targets",
            "Rastreamento de reuniões com as pessoas certas em contas alvo, a velocidade, a criação de oportunidade em contas de alvo",
        ),
        t(
            "Track meetings with the right people, velocity and the opportunities created at target accounts",
            "Rastrear reuniões com as pessoas certas em contas alvo, a velocidade e a criação de oportunidade em contas de alvo",
        ),
        false,
    ),
    p(
        "mt4",
        3,
        4,
        t(
            "KPIs met: revenue won at targets, cross-sell, upsell, renewal",
            "Atinge seus KPIs: a receita ganha em contas-alvo, x-sell, up-sell, renovação",
        ),
        t(
            "Meet the KPIs: revenue won at target accounts, cross-sell, upsell, renewal",
            "Atingir os KPIs: a receita ganha em contas-alvo, x-sell, up-sell, renovação",
        ),
        false,
    ),
    p(
        "mt5",
        3,
        5,
        t(
            "results measured per account and buying group feed content and plans",
            "Resultados mensurados na conta e no nível de grupo de compras alimentam os conteúdos e os planos",
        ),
        t(
            "Measure results per account and buying group, and feed them back into content and plans",
            "Mensurar os resultados na conta e no nível de grupo de compras e usá-los para atualizar conteúdos e planos",
        ),
        true,
    ),
    p(
        "tm1",
        4,
        1,
        t(
            "key players and sales champion named",
            "Identificando os jogadores-chave, campeão de vendas a serem selecionados",
        ),
        t(
            "Name the key players and a sales champion",
            "Identificar os jogadores-chave e o campeão de vendas",
        ),
        false,
    ),
    p(
        "tm2",
        4,
        2,
        t(
            "stakeholder buy-in across the company",
            "Obtenção do buy-in das partes interessadas por toda a organização",
        ),
        t(
            "Get stakeholder buy-in across the company",
            "Obter o buy-in das partes interessadas por toda a organização",
        ),
        false,
    ),
    p(
        "tm3",
        4,
        3,
        t(
            "tight sync with SDRs and sales",
            "Estreitamento da sincronia com suas equipes de representantes de Desenv. de Vendas e equipe de vendas",
        ),
        t(
            "Sync tightly with the SDRs and sales",
            "Estreitar a sincronia com as equipes de representantes de Desenv. de Vendas e a equipe de vendas",
        ),
        false,
    ),
    p(
        "tm4",
        4,
        4,
        t(
            "sync across teams and regions: SDR, sales, support, services",
            "Estreitamento da sincronia com suas equipes e regiões colaborativas: representantes de Desenv. de Vendas, equipe de vendas, suporte, serviços",
        ),
        t(
            "Sync across teams and regions: SDRs, sales, support, services",
            "Estreitar a sincronia com as equipes e regiões colaborativas: representantes de Desenv. de Vendas, vendas, suporte, serviços",
        ),
        false,
    ),
    p(
        "tm5",
        4,
        5,
        t(
            "one account-centric leadership over sales, marketing, CS",
            "Liderança centralizada e centrada na conta sobre vendas, marketing e sucesso do cliente",
        ),
        t(
            "Put sales, marketing and customer success under one account-centric leadership",
            "Colocar vendas, marketing e sucesso do cliente sob uma liderança centralizada e centrada na conta",
        ),
        true,
    ),
];

/// The index of the practice with this id.
pub fn practice_index(id: &str) -> Option<usize> {
    PRACTICES.iter().position(|p| p.id == id)
}

/// The practice of `dimension` (index) at `stage` (1..=5).
pub fn practice_at(dimension: usize, stage: usize) -> &'static Practice {
    &PRACTICES[dimension * 5 + stage - 1]
}

/// Every id, in order.
pub fn ids() -> impl Iterator<Item = &'static str> + Clone {
    PRACTICES.iter().map(|p| p.id)
}

/// The first letter in upper case, for display ("account types..." →
/// "Account types...").
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are `<dimension><stage>`, in grid order.
    #[test]
    fn practices_are_in_grid_order() {
        for (i, practice) in PRACTICES.iter().enumerate() {
            assert_eq!(practice.dimension, i / 5);
            assert_eq!(practice.stage, i % 5 + 1);
            let id = format!("{}{}", DIMENSIONS[i / 5].id, i % 5 + 1);
            assert_eq!(practice.id, id);
            assert!(std::ptr::eq(
                practice_at(practice.dimension, practice.stage),
                practice
            ));
        }
        assert_eq!(practice_index("mt3"), Some(17));
        assert_eq!(practice_index("xx1"), None);
    }

    /// Stage 5 and mc4 are the derived cells.
    #[test]
    fn derived_cells() {
        let derived: Vec<&str> = PRACTICES
            .iter()
            .filter(|p| p.derived)
            .map(|p| p.id)
            .collect();
        assert_eq!(derived, ["da5", "mc4", "mc5", "pg5", "mt5", "tm5"]);
    }

    #[test]
    fn names() {
        assert_eq!(stage_name(0, Lang::Pt), "Não iniciado");
        assert_eq!(stage_name(5, Lang::En), "Advanced");
        assert_eq!(capitalized("account types"), "Account types");
        assert_eq!(capitalized(""), "");
    }
}
