/* Every declared kind of record. Each is declared in its own file (its
 * field table, and beside it the hooks for the rules no table can state);
 * one line here adds it to the contract test, reindexing and search. */
#include "wushe/account.h"
#include "wushe/casework.h"
#include "wushe/community.h"
#include "wushe/consent.h"
#include "wushe/household.h"
#include "wushe/orgs.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/resources.h"
#include "wushe/volunteer.h"

const record_kind *const record_kinds[] = {
    &kind_community,
    &kind_household,
    &kind_resident, /* its own search index and ledger (own_search) */
    &kind_account,
    &kind_consent,
    &kind_visit,
    &kind_case,
    &kind_case_need,
    &kind_case_goal,
    &kind_case_task,
    &kind_case_coworker,
    &kind_case_service,
    &kind_referral,
    /* charitable resources (issue 13) */
    &kind_donor, &kind_item, &kind_fund, &kind_donation, &kind_donation_money,
    &kind_donation_goods, &kind_payment, &kind_distribution, &kind_distribution_item, &kind_wish,
    &kind_purchase, &kind_stock_issue,
    &kind_volunteer, &kind_volunteer_training, &kind_volunteer_commendation,
    &kind_volunteer_evaluation, &kind_team, &kind_team_member, &kind_activity, &kind_session,
    &kind_attendance, &kind_service,
    /* social organisations and projects (issue 16) */
    &kind_organisation, &kind_org_community, &kind_org_task, &kind_org_assessment,
    &kind_project, &kind_project_community, &kind_project_indicator,
};
const size_t record_nkinds = sizeof record_kinds / sizeof record_kinds[0];

const record_kind *field_ref(const field_def *f)
{
    return f->ref ? f->ref : f->ref_name ? record_kind_find(f->ref_name) : NULL;
}
