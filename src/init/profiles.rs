//! What `tal init` knows about real exports: for every field, the headers
//! that hold it in Salesforce (labels and API names), HubSpot (labels and
//! internal names), Bombora Company Surge, Demandbase, 6sense and the usual
//! marketing-automation activity exports — in English, Portuguese, Spanish
//! and Chinese — plus the markers that name the tool an export came from.
//!
//! Headers are compared after [`super::headers::fold`] (case, accents,
//! spaces and punctuation ignored), so "Número de funcionários",
//! "NumberOfEmployees" and "number_of_employees" each need one entry only.
//! Within a field the aliases are in order of preference: when a file has two
//! candidate columns, the earlier alias wins.

/// What rows a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A CRM account export: its record ids are the ones to write back.
    Crm,
    /// A data vendor's account file (firmographics, Demandbase, 6sense).
    Firmographics,
    Intent,
    Engagement,
}

impl Role {
    /// Account rows (CRM or vendor), as opposed to intent or activity rows.
    pub fn is_account(self) -> bool {
        matches!(self, Role::Crm | Role::Firmographics)
    }

    /// The input name in the spec (a second file of a role gets `_2`...).
    pub fn input_name(self) -> &'static str {
        match self {
            Role::Crm => "crm",
            Role::Firmographics => "firmographics",
            Role::Intent => "intent",
            Role::Engagement => "engagement",
        }
    }
}

/// How a candidate column's values must look before it is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Domains, URLs or e-mails.
    Key,
    Text,
    Number,
    Bool,
    Date,
    List,
}

/// A field and the headers that usually hold it.
#[derive(Debug)]
pub struct FieldProfile {
    pub field: &'static str,
    pub check: Check,
    pub aliases: &'static [&'static str],
}

const fn field(
    field: &'static str,
    check: Check,
    aliases: &'static [&'static str],
) -> FieldProfile {
    FieldProfile {
        field,
        check,
        aliases,
    }
}

/// Columns that hold an account's domain or website.
#[rustfmt::skip]
pub const DOMAIN_KEYS: &[&str] = &[
    "Company Domain Name", "Domain", "Website", "Company Domain", "Account Domain",
    "Domain Name", "Website Domain", "Account Website",
    "Website URL", "Web Site", "Company Website", "Company URL", "URL", "Web",
    "Site", "Email Domain", "Nome de domínio da empresa", "Domínio da empresa",
    "Domínio", "Site da empresa", "Sitio web", "Sitio", "Página web",
    "Dominio de la empresa", "Dominio", "网站", "网址", "公司网站", "官网", "域名",
];

/// Columns that hold a person's e-mail address (engagement exports).
#[rustfmt::skip]
pub const EMAIL_KEYS: &[&str] = &[
    "Email", "Email Address", "E-mail Address", "Work Email", "Business Email",
    "Lead Email", "Contact Email", "Prospect Email", "Endereço de e-mail",
    "Correo electrónico", "Dirección de correo electrónico", "Correo", "邮箱",
    "电子邮件", "电子邮箱", "邮件地址",
];

/// Account fields, in the order they are claimed and written.
#[rustfmt::skip]
pub const ACCOUNT_FIELDS: &[FieldProfile] = &[
    field("account_id", Check::Text, &[
        "Account ID", "Record ID", "Id", "hs_object_id", "Account ID (18)",
        "18 Digit Account ID", "Account Id 18", "Company ID", "Company Record ID",
        "Salesforce Account ID", "CRM ID", "ID do registro", "ID da conta",
        "ID da empresa", "ID de registro", "ID de cuenta", "ID de la cuenta",
        "ID de la empresa", "客户ID", "客户编号", "公司ID", "记录ID",
    ]),
    field("name", Check::Text, &[
        "Account Name", "Company name", "Company", "Name", "Organization",
        "Organisation", "Organization Name", "Account", "Empresa",
        "Nome da empresa", "Nome da conta", "Razão social", "Nome", "Conta",
        "Nombre de la empresa", "Nombre de la cuenta", "Nombre de cuenta",
        "Compañía", "Razón social", "Nombre", "Cuenta", "公司名称", "公司",
        "企业名称", "客户名称", "公司名", "名称",
    ]),
    field("industry", Check::Text, &[
        "Industry", "Primary Industry", "6sense Industry", "Demandbase Industry",
        "Industry Category", "Sector", "Vertical", "Setor", "Indústria",
        "Segmento", "Ramo de atividade", "Setor de atuação", "Industria",
        "Rubro", "行业", "所属行业", "行业类别",
    ]),
    field("employees", Check::Number, &[
        "Employees", "Number of Employees", "NumberOfEmployees", "Employee Count",
        "Employee Range", "Employees Range", "6sense Employee Range",
        "Employee Size", "Company Size", "Headcount", "Size", "# Employees",
        "No. of Employees", "Num. of Employees", "Estimated Employees",
        "Total Employees", "Workers", "Number of Workers", "Staff",
        "Staff Count", "Funcionários",
        "Número de funcionários", "Nº de funcionários", "Qtd. funcionários",
        "Quantidade de funcionários", "Colaboradores", "Empleados",
        "Número de empleados", "Nº de empleados", "Cantidad de empleados",
        "员工人数", "员工数", "员工数量", "人数", "公司规模",
    ]),
    field("revenue", Check::Number, &[
        "Annual Revenue", "AnnualRevenue", "Revenue", "Revenue Range",
        "6sense Revenue Range", "revenue_usd", "Estimated Revenue",
        "Company Revenue", "Total Revenue", "Receita anual", "Receita",
        "Faturamento anual", "Faturamento", "Receita bruta anual",
        "Ingresos anuales", "Ingresos", "Facturación anual", "Facturación",
        "Ventas anuales", "年收入", "营业收入", "年营收", "营收", "年营业额", "收入",
    ]),
    field("country", Check::Text, &[
        "Billing Country", "Country", "Country/Region", "HQ Country",
        "Headquarters Country", "Company Country", "Country Name",
        "Shipping Country", "País", "País/região", "País de cobrança",
        "País sede", "País de facturación", "País/región", "国家", "国家/地区",
        "国家或地区", "所在国家",
    ]),
    field("acv", Check::Number, &[
        "Open Opportunity Amount", "Opportunity Amount", "ACV", "Expected ACV",
        "Annual Contract Value", "Total open deal value", "Open Deal Amount",
        "Deal Amount", "Amount", "Valor da oportunidade", "Valor do negócio",
        "Valor de la oportunidad", "Importe de la oportunidad", "Monto",
        "商机金额", "合同金额",
    ]),
    field("opportunity_stage", Check::Text, &[
        "Opportunity Stage", "StageName", "Stage", "Deal Stage", "dealstage",
        "Fase da oportunidade", "Estágio da oportunidade", "Etapa do negócio",
        "Etapa de la oportunidad", "Etapa", "商机阶段", "销售阶段",
    ]),
    field("owner", Check::Text, &[
        "Account Owner", "Company owner", "Owner", "Owner Name", "OwnerId",
        "hubspot_owner_id", "Account Owner Name", "Proprietário da conta",
        "Proprietário da empresa", "Responsável", "Propietario de la cuenta",
        "Propietario", "Responsable", "负责人", "客户负责人", "销售负责人",
    ]),
    field("renewals", Check::Number, &[
        "Renewals", "Number of Renewals", "Renewal Count", "Renovações",
        "Renovaciones", "续约次数",
    ]),
    field("is_customer", Check::Bool, &[
        "Is Customer", "Customer", "Customer?", "Is a Customer",
        "Current Customer", "Existing Customer", "Cliente", "É cliente",
        "Cliente ativo", "Es cliente", "是否客户", "是否为客户", "现有客户",
    ]),
    field("customer_since", Check::Date, &[
        "Customer Since", "Became a Customer Date", "Customer Since Date",
        "hs_lifecyclestage_customer_date", "Cliente desde", "成为客户日期",
    ]),
    field("technologies", Check::List, &[
        "Technologies", "Tech Stack", "Technographics", "Technologies Used",
        "Installed Technologies", "Technology", "Tecnologias", "Tecnologías",
        "技术栈", "使用技术",
    ]),
    field("lifecycle_stage", Check::Text, &[
        "Lifecycle Stage", "Fase do ciclo de vida", "Estágio do ciclo de vida",
        "Etapa del ciclo de vida", "生命周期阶段",
    ]),
    field("account_type", Check::Text, &[
        "Type", "Account Type", "Company Type", "Tipo", "Tipo de conta",
        "Tipo de cuenta", "客户类型",
    ]),
    field("buying_stage", Check::Text, &[
        "6sense Buying Stage", "Buying Stage", "Journey Stage",
        "Demandbase Journey Stage", "Estágio de compra", "Etapa de compra",
        "购买阶段",
    ]),
];

/// Intent rows: topic, score, date.
#[rustfmt::skip]
pub const INTENT_FIELDS: &[FieldProfile] = &[
    field("topic", Check::Text, &[
        "Topic Name", "Topic", "Intent Topic", "Surging Topic", "Keyword",
        "Intent Keyword", "Keyword Name", "Tópico", "Tema", "Assunto",
        "Palabra clave", "主题", "意向主题", "话题", "关键词",
    ]),
    field("score", Check::Number, &[
        "Composite Score", "Intent Score", "6sense Intent Score", "Surge Score", "Topic Score", "Score",
        "Pontuação composta", "Pontuação", "Puntuación compuesta", "Puntuación",
        "综合得分", "意向得分", "得分", "分数",
    ]),
    field("date", Check::Date, &[
        "Week Of", "Week Start Date", "Week Start", "Week Ending", "Week",
        "Intent Date", "Date", "Report Date", "Surge Date", "Start Date", "Semana de",
        "Semana", "Data", "Fecha", "日期", "周",
    ]),
];

/// Activity rows: type, date, persona.
#[rustfmt::skip]
pub const ENGAGEMENT_FIELDS: &[FieldProfile] = &[
    field("type", Check::Text, &[
        "Activity Type", "Activity Type Name", "Activity", "Event Type", "Event Name",
        "Interaction Type", "Engagement Type", "Activity Type Id", "Type",
        "Event", "Action", "Tipo de atividade", "Atividade", "Tipo de evento",
        "Evento", "Conversão", "Nome da conversão", "Identificador da conversão",
        "Identificador", "Tipo de actividad",
        "Actividad", "Tipo", "活动类型", "行为类型", "互动类型", "类型",
    ]),
    field("date", Check::Date, &[
        "Activity Date", "Activity Date/Time", "Activity Timestamp",
        "occurred_at", "Occurred At", "Event Date", "Date", "Timestamp",
        "Created Date", "Created At", "Created", "Date/Time", "Time",
        "Data da atividade", "Data do evento", "Data da conversão",
        "Data de conversão", "Data/hora", "Data", "Fecha de la actividad",
        "Fecha y hora", "Fecha", "活动日期", "发生时间", "日期", "时间",
    ]),
    field("persona", Check::Text, &[
        "Persona", "Buyer Persona", "Job Title", "Title", "Job Function",
        "Job Role", "Role", "Cargo", "Função", "Puesto", "Título", "职位", "职务",
        "角色",
    ]),
];

/// The fields a role looks for.
pub fn fields_of(role: Role) -> &'static [FieldProfile] {
    match role {
        Role::Crm | Role::Firmographics => ACCOUNT_FIELDS,
        Role::Intent => INTENT_FIELDS,
        Role::Engagement => ENGAGEMENT_FIELDS,
    }
}

/// The key columns a role looks for, best first.
pub fn keys_of(role: Role) -> Vec<&'static str> {
    match role {
        Role::Engagement => EMAIL_KEYS.iter().chain(DOMAIN_KEYS).copied().collect(),
        _ => DOMAIN_KEYS.to_vec(),
    }
}

/// The tool an export came from, told by a few characteristic headers.
pub struct Vendor {
    pub name: &'static str,
    /// Headers compared exactly (case-sensitively): API names differ from
    /// internal names only by case.
    pub exact: &'static [&'static str],
    /// Headers compared folded.
    pub folded: &'static [&'static str],
    /// The write-back columns for `[export.crm]`: (CRM column, TAL column).
    pub write_back: &'static [(&'static str, &'static str)],
    /// The kinds of file it makes.
    pub roles: &'static [Role],
}

const ACCOUNTS: &[Role] = &[Role::Crm, Role::Firmographics];
const ACCOUNTS_AND_INTENT: &[Role] = &[Role::Crm, Role::Firmographics, Role::Intent];

const SALESFORCE_API_WRITE_BACK: &[(&str, &str)] = &[
    ("ABM_Tier__c", "tier_code"),
    ("Target_Account__c", "in_tal"),
];
/// Also the write-back of exports from tools `tal init` does not know.
pub const LABEL_WRITE_BACK: &[(&str, &str)] =
    &[("ABM Tier", "tier_code"), ("Target Account", "in_tal")];
const HUBSPOT_WRITE_BACK: &[(&str, &str)] = &[
    ("hs_ideal_customer_profile", "tier_code"),
    ("hs_is_target_account", "in_tal"),
];

/// Most specific first.
#[rustfmt::skip]
pub const VENDORS: &[Vendor] = &[
    Vendor {
        name: "Salesforce (API names)",
        exact: &["NumberOfEmployees", "AnnualRevenue", "BillingCountry", "OwnerId",
                 "NUMBEROFEMPLOYEES", "ANNUALREVENUE", "BILLINGCOUNTRY"],
        folded: &[],
        write_back: SALESFORCE_API_WRITE_BACK,
        roles: ACCOUNTS,
    },
    Vendor {
        name: "HubSpot (internal names)",
        exact: &["hs_object_id", "numberofemployees", "annualrevenue", "lifecyclestage",
                 "hubspot_owner_id"],
        folded: &[],
        write_back: HUBSPOT_WRITE_BACK,
        roles: ACCOUNTS,
    },
    Vendor {
        name: "HubSpot (labels)",
        exact: &[],
        folded: &["Record ID", "Company Domain Name", "Country/Region", "Company owner",
                  "ID do registro", "Nome de domínio da empresa", "ID de registro",
                  "Lifecycle Stage"],
        write_back: HUBSPOT_WRITE_BACK,
        roles: ACCOUNTS,
    },
    Vendor {
        name: "Salesforce (labels)",
        exact: &[],
        folded: &["Account Name", "Account Owner", "Billing Country", "Account ID (18)",
                  "Nome da conta", "Proprietário da conta", "Nombre de la cuenta",
                  "Propietario de la cuenta"],
        write_back: LABEL_WRITE_BACK,
        roles: ACCOUNTS,
    },
    Vendor {
        name: "6sense",
        exact: &[],
        folded: &["6sense Buying Stage", "6sense Intent Score", "6sense Profile Fit",
                  "6sense Industry", "6sense Employee Range", "6sense Revenue Range"],
        write_back: &[],
        roles: ACCOUNTS_AND_INTENT,
    },
    Vendor {
        name: "Demandbase",
        exact: &[],
        folded: &["Demandbase Account ID", "Journey Stage", "Engagement Minutes",
                  "Engagement Minutes (3 mo.)", "Demandbase Industry", "Qualification Score"],
        write_back: &[],
        roles: ACCOUNTS_AND_INTENT,
    },
    Vendor {
        name: "Bombora Company Surge",
        exact: &[],
        folded: &["Composite Score", "Topic Name", "Cluster Name", "Topic Id"],
        write_back: &[],
        roles: &[Role::Intent],
    },
    Vendor {
        name: "Marketo bulk activity export",
        exact: &[],
        folded: &["marketoGUID", "activityTypeId", "primaryAttributeValueId"],
        write_back: &[],
        roles: &[Role::Engagement],
    },
    Vendor {
        name: "RD Station conversions export",
        exact: &[],
        folded: &["Data do evento", "Origem da conversão", "Data da conversão"],
        write_back: &[],
        roles: &[Role::Engagement],
    },
    Vendor {
        name: "Marketo activity export",
        exact: &[],
        folded: &["Marketo Lead ID", "Lead ID", "Primary Attribute Value"],
        write_back: &[],
        roles: &[Role::Engagement],
    },
    Vendor {
        name: "Pardot activity export",
        exact: &[],
        folded: &["Prospect ID", "Prospect Email", "Visitor ID"],
        write_back: &[],
        roles: &[Role::Engagement],
    },
    Vendor {
        name: "Eloqua activity export",
        exact: &[],
        folded: &["Eloqua Contact ID", "Asset Name", "Asset Type"],
        write_back: &[],
        roles: &[Role::Engagement],
    },
];

/// Marketo Engage's default activity types, by the id its bulk activity
/// export writes in `activityTypeId`: the name, and whether the lead did it
/// (else Marketo or a user did it to the lead, which is no engagement).
/// Ids and names from Adobe's list of Marketo lead activity events
/// (developer.adobe.com, "Marketo Lead Activity Data Stream", Event List);
/// who does each follows Adobe's Marketo source mapping to XDM `producedBy`
/// (experienceleague.adobe.com, "Marketo Engage field mappings").
#[rustfmt::skip]
pub const MARKETO_ACTIVITY_TYPES: &[(u32, &str, bool)] = &[
    (1, "Visit Webpage", true), (2, "Fill Out Form", true), (3, "Click Link", true),
    (6, "Send Email", false), (7, "Email Delivered", false), (8, "Email Bounced", false),
    (9, "Unsubscribe Email", true), (10, "Open Email", true), (11, "Click Email", true),
    (12, "New Lead", false), (13, "Change Data Value", false),
    (19, "Sync Lead to SFDC", false), (21, "Convert Lead", false),
    (22, "Change Score", false), (23, "Change Owner", false), (24, "Add to List", false),
    (25, "Remove from List", false), (26, "SFDC Activity", false),
    (27, "Email Bounced Soft", false), (29, "Delete Lead from SFDC", false),
    (30, "SFDC Activity Updated", false), (32, "Merge Leads", false),
    (34, "Add to Opportunity", false), (35, "Remove from Opportunity", false),
    (36, "Update Opportunity", false), (37, "Delete Lead", false), (38, "Send Alert", false),
    (39, "Send Sales Email", false), (40, "Open Sales Email", true),
    (41, "Click Sales Email", true), (42, "Add to SFDC Campaign", false),
    (43, "Remove from SFDC Campaign", false), (44, "Change Status in SFDC Campaign", false),
    (45, "Receive Sales Email", false), (46, "Interesting Moment", false),
    (47, "Request Campaign", false), (48, "Sales Email Bounced", false),
    (100, "Change Lead Partition", false), (101, "Change Revenue Stage", false),
    (102, "Change Revenue Stage Manually", false),
    (104, "Change Status in Progression", false), (108, "Change Segment", false),
    (110, "Call Webhook", false), (113, "Add to Nurture", false),
    (114, "Change Nurture Track", false), (115, "Change Nurture Cadence", false),
    (131, "Fill Out Facebook Lead Ads Form", true),
];

/// A Marketo activity type id's name, and whether the lead did it.
pub fn marketo_activity(id: &str) -> Option<(&'static str, bool)> {
    let id: u32 = id.trim().parse().ok()?;
    MARKETO_ACTIVITY_TYPES
        .iter()
        .find(|(known, _, _)| *known == id)
        .map(|(_, name, by_lead)| (*name, *by_lead))
}
