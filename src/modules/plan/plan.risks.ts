import type { Database } from "../../db/client.ts";
import { buildRiskGrid, type RiskLevel, type RiskRating, scoreRisk } from "../../domain/risks.ts";
import type { Risk } from "./plan.repository.ts";
import * as repository from "./plan.repository.ts";

function rating(likelihood: number | null, impact: number | null): RiskRating | null {
  if (likelihood === null || impact === null) return null;
  return { likelihood: likelihood as RiskLevel, impact: impact as RiskLevel };
}

/** The residual rating where given, else the inherent: the position the register reports. */
export function currentRating(risk: Risk): RiskRating | null {
  return (
    rating(risk.residualLikelihood, risk.residualImpact) ??
    rating(risk.inherentLikelihood, risk.inherentImpact)
  );
}

/** The key risks as a table and as the 5 x 5 likelihood-impact grid. */
export async function riskRegister(db: Database) {
  const [risks, plans] = await Promise.all([repository.listRisks(db), repository.listPlans(db)]);
  const rows = risks.map((risk, index) => {
    const inherent = rating(risk.inherentLikelihood, risk.inherentImpact);
    const residual = rating(risk.residualLikelihood, risk.residualImpact);
    return {
      ...risk,
      number: index + 1,
      inherent: inherent ? scoreRisk(inherent) : null,
      residual: residual ? scoreRisk(residual) : null,
    };
  });
  return {
    risks: rows,
    grid: buildRiskGrid(rows, currentRating),
    notes: plans.flatMap((plan) =>
      plan.riskRegisterNote ? [{ plan: plan.title, note: plan.riskRegisterNote }] : [],
    ),
  };
}
