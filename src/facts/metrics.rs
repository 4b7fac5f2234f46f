//! The financial metrics: the values of the financials table's `metric` column, and what a
//! metric phrase of `rules/financials.toml` names (its `produces`).

/// A metric of the financials table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    NetLoss,
    NetIncome,
    NetLossPerShare,
    NetIncomePerShare,
    Revenue,
    RdExpense,
    SgaExpense,
    GaExpense,
    OperatingExpense,
    Cash,
}

impl Metric {
    /// Every metric with its name in the table, the one place the names are written.
    pub const ALL: [(Metric, &'static str); 10] = [
        (Metric::NetLoss, "net_loss"),
        (Metric::NetIncome, "net_income"),
        (Metric::NetLossPerShare, "net_loss_per_share"),
        (Metric::NetIncomePerShare, "net_income_per_share"),
        (Metric::Revenue, "revenue"),
        (Metric::RdExpense, "rd_expense"),
        (Metric::SgaExpense, "sga_expense"),
        (Metric::GaExpense, "ga_expense"),
        (Metric::OperatingExpense, "operating_expense"),
        (Metric::Cash, "cash"),
    ];

    /// The metric's name in the table.
    pub fn name(self) -> &'static str {
        Metric::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("every metric is in ALL")
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(m, _)| *m)
    }
}

/// What a metric phrase names: a metric, or net income or loss, whichever the amount's sign
/// says ("net income (loss) of $(3.2) million").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricPhrase {
    Names(Metric),
    NetIncomeOrLoss,
}

impl MetricPhrase {
    /// The `produces` of an income-or-loss phrase.
    pub const NET_INCOME_OR_LOSS: &'static str = "net_income_or_loss";

    /// The phrase a metric record's `produces` names; a value that names nothing is a mistake
    /// in the rule file, which the first build of the rules reports.
    pub fn from_produces(produces: &str) -> Result<MetricPhrase, String> {
        if produces == MetricPhrase::NET_INCOME_OR_LOSS {
            return Ok(MetricPhrase::NetIncomeOrLoss);
        }
        Metric::from_name(produces)
            .map(MetricPhrase::Names)
            .ok_or_else(|| {
                let names: Vec<&str> = Metric::ALL.iter().map(|(_, n)| *n).collect();
                format!(
                    "rules/financials.toml: a metric phrase produces one of {names:?} or {}, not {produces}",
                    MetricPhrase::NET_INCOME_OR_LOSS
                )
            })
    }

    /// Whether the phrase is about earnings (net income or loss, in all or per share).
    pub fn is_earnings(self) -> bool {
        matches!(
            self,
            MetricPhrase::NetIncomeOrLoss
                | MetricPhrase::Names(
                    Metric::NetLoss
                        | Metric::NetIncome
                        | Metric::NetLossPerShare
                        | Metric::NetIncomePerShare
                )
        )
    }

    /// Whether the phrase names a per-share figure.
    pub fn is_per_share(self) -> bool {
        matches!(
            self,
            MetricPhrase::Names(Metric::NetLossPerShare | Metric::NetIncomePerShare)
        )
    }

    /// The metric of an amount reported under the phrase: a loss or an income by the phrase
    /// and the amount's sign, per share when the amount is.
    pub fn resolve(self, negative: bool, per_share: bool) -> Metric {
        let loss = match self {
            MetricPhrase::Names(Metric::NetLossPerShare) => return Metric::NetLossPerShare,
            MetricPhrase::Names(Metric::NetIncomePerShare) => {
                return if negative {
                    Metric::NetLossPerShare
                } else {
                    Metric::NetIncomePerShare
                }
            }
            MetricPhrase::NetIncomeOrLoss | MetricPhrase::Names(Metric::NetIncome) => negative,
            MetricPhrase::Names(Metric::NetLoss) => true,
            MetricPhrase::Names(other) => return other,
        };
        match (loss, per_share) {
            (true, false) => Metric::NetLoss,
            (true, true) => Metric::NetLossPerShare,
            (false, false) => Metric::NetIncome,
            (false, true) => Metric::NetIncomePerShare,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_both_ways() {
        for (m, n) in Metric::ALL {
            assert_eq!(m.name(), n);
            assert_eq!(Metric::from_name(n), Some(m));
        }
        assert_eq!(Metric::from_name("loss_per_share"), None);
    }

    #[test]
    fn every_metric_phrase_of_the_rules_names_a_metric() {
        for produces in crate::rulebook::family("financials", "metric").produced() {
            assert!(MetricPhrase::from_produces(produces).is_ok(), "{produces}");
        }
        let err = MetricPhrase::from_produces("ebitda").unwrap_err();
        assert!(err.contains("not ebitda"), "{err}");
    }

    #[test]
    fn an_amount_resolves_the_phrase_by_its_sign_and_share() {
        let income_or_loss = MetricPhrase::NetIncomeOrLoss;
        assert_eq!(income_or_loss.resolve(true, false), Metric::NetLoss);
        assert_eq!(
            income_or_loss.resolve(false, true),
            Metric::NetIncomePerShare
        );
        let loss = MetricPhrase::Names(Metric::NetLoss);
        assert_eq!(loss.resolve(false, false), Metric::NetLoss);
        assert_eq!(loss.resolve(false, true), Metric::NetLossPerShare);
        let revenue = MetricPhrase::Names(Metric::Revenue);
        assert_eq!(revenue.resolve(true, true), Metric::Revenue);
    }
}
