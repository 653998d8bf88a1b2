/**
 * What a person is shown before their face is analysed, in each language, versioned. The
 * registration records the version, language, SHA-256 of the exact text and the answer, so an
 * inspector can see what was agreed to. Biometric consent is separate from registration itself:
 * saying no leads to manual review, not to refusal.
 */
import { createHash } from 'node:crypto';

export type ConsentLocale = 'zh-CN' | 'en';

export interface ConsentText { version: string; locale: ConsentLocale; title: string; body: string; sha256: string }

const texts: Record<string, Record<ConsentLocale, { title: string; body: string }>> = {
  'biometric-2026-11': {
    'zh-CN': {
      title: '人脸信息处理告知与同意',
      body: '为落实电话用户真实身份信息登记规定，本营业厅将采集您的现场人脸图像，并与您身份证件上的照片进行一次比对（人像比对），同时进行活体检测。'
        + '人脸图像仅用于本次身份核验，在核验结论作出后立即删除（除非法律法规要求留存）；比对结果、分数和时间将加密记录在登记档案中。'
        + '您可以拒绝人脸识别，改由门店经理人工核验您的证件与本人，不影响您办理业务。',
    },
    en: {
      title: 'Notice and consent: processing of your face',
      body: 'To meet the real-name registration rules for telephone users, this store will capture a live image of your face and compare it once '
        + 'with the photo on your identity document (portrait matching), with a liveness check. The images are used only for this verification '
        + 'and are deleted as soon as the decision is made (unless the law requires keeping them); the result, score and time are recorded, '
        + 'encrypted, with your registration. You may refuse face recognition and be verified in person by the store manager instead; '
        + 'this does not affect your application.',
    },
  },
};

export const currentConsentVersion = 'biometric-2026-11';

export function consentText(version: string, locale: ConsentLocale): ConsentText | undefined {
  const t = texts[version]?.[locale];
  if (!t) return undefined;
  const sha256 = createHash('sha256').update(`${t.title}\n\n${t.body}`).digest('hex');
  return { version, locale, ...t, sha256 };
}
