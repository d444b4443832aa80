// The new-case form's photo check in the browser: a post over the body limit is refused before
// the server can read it, and everything typed would be lost with it, so the chosen files are
// checked here first and the submit is held back with the reason beside the photo field.
import { inLang, type Lang } from '../../../domain/text.ts';
import { MAX_EVIDENCE_BYTES } from '../../../store/evidence.ts';
import { KEPT_FIELD, MAX_NEW_CASE_PHOTOS, PHOTO_FIELD } from './new-case-photos.ts';

/** The id of the line that tells why the chosen photos cannot be sent. */
export const PHOTO_CHECK_ID = 'f-photos-check';

const mb = MAX_EVIDENCE_BYTES / 1024 / 1024;

/** The script for a page in `lang`: the limits are the server's own, `{n}` and `{name}` filled in by it. */
export function photoCheckScript(lang: Lang): string {
  const said = {
    count: inLang(
      {
        zh: `最多 ${MAX_NEW_CASE_PHOTOS} 张照片（已选 {n} 张）；请重新选择照片，其他内容不受影响`,
        en: `at most ${MAX_NEW_CASE_PHOTOS} photos ({n} chosen); choose the photos again, nothing else is lost`,
      },
      lang,
    ),
    size: inLang(
      {
        zh: `「{name}」超过 ${mb} MB（{n} MB）；请选择较小的照片，其他内容不受影响`,
        en: `“{name}” is over ${mb} MB ({n} MB); choose a smaller photo, nothing else is lost`,
      },
      lang,
    ),
    type: inLang(
      {
        zh: `「{name}」不是 JPEG、PNG 或 WebP 照片；请重新选择照片，其他内容不受影响`,
        en: `“{name}” is not a JPEG, PNG or WebP photo; choose the photos again, nothing else is lost`,
      },
      lang,
    ),
    empty: inLang(
      {
        zh: `「{name}」是空文件；请重新选择照片，其他内容不受影响`,
        en: `“{name}” is empty; choose the photos again, nothing else is lost`,
      },
      lang,
    ),
  };
  const config = { max: MAX_NEW_CASE_PHOTOS, bytes: MAX_EVIDENCE_BYTES, said };
  // Inside a <script>: no "</" may close it early.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `(function(){
var c=${json};
var p=document.getElementById('f-${PHOTO_FIELD}'),m=document.getElementById('${PHOTO_CHECK_ID}');
if(!p||!m||!p.form)return;
var types=p.accept.split(',');
function fill(t,n,name){return t.replace('{n}',n).replace('{name}',name);}
function problem(){
  var files=Array.prototype.slice.call(p.files||[]);
  var kept=p.form.querySelectorAll('input[name="${KEPT_FIELD}"]:checked').length;
  if(files.length+kept>c.max)return fill(c.said.count,files.length+kept,'');
  for(var i=0;i<files.length;i++){var f=files[i];
    if(f.size===0)return fill(c.said.empty,0,f.name);
    if(types.indexOf(f.type)<0)return fill(c.said.type,0,f.name);
    if(f.size>c.bytes)return fill(c.said.size,(f.size/1048576).toFixed(1),f.name);
  }
  return '';
}
function show(){var t=problem();m.textContent=t;m.hidden=!t;if(t)p.setAttribute('aria-invalid','true');else if(!document.getElementById('f-${PHOTO_FIELD}-error'))p.removeAttribute('aria-invalid');return t;}
p.addEventListener('change',show);
p.form.addEventListener('change',function(e){if(e.target&&e.target.name==='${KEPT_FIELD}')show();});
p.form.addEventListener('submit',function(e){if(show()){e.preventDefault();p.focus();}});
})();`;
}
